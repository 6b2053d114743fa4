import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { ContainerImage } from '../container-image';
import { FLAG_DATA, FlagData } from './flag-data';
import { Version } from './version';

/** A binary the library renders flags for, and the releases it supports. @internal */
export interface Binary {
  /** How messages name it: `Thanos`. */
  readonly name: string;
  /** What its releases accept (lib/images/flags/). */
  readonly flags: FlagData;
  /** The oldest release the library renders for: older ones are refused. */
  readonly oldest: Version;
  /** Thanos: `args[0]` is a subcommand, which takes its own flags and the `global` ones. */
  readonly subcommands?: boolean;
}

/**
 * The supported range of each binary: from `oldest` to every newer release.
 * The oldest is the oldest release with flag data, chosen from what users
 * still run (README.md, "Supported versions"):
 * - Thanos v0.31.0: the oldest release with flag data, for stacks still on
 *   the v0.3x releases of kube-thanos' time (its manifests render an
 *   `--endpoint` per store); the Querier's store flags change at v0.38.0 and
 *   both forms are rendered.
 * - Prometheus v2.53.0: the 2.x long-term-support line (kube-prometheus
 *   v0.14 ships 2.54.1); 2.x expands `${POD_NAME}` in external labels
 *   with `--enable-feature=expand-external-labels` (since 2.27).
 * - Alertmanager v0.27.0: kube-prometheus v0.14's; `--cluster.peer-name`
 *   only from v0.30.0, some config fields later still (alertmanager-config.ts).
 * - Pushgateway v1.9.0, prometheus-config-reloader v0.75.0 (kube-prometheus
 *   v0.14 ships operator v0.76.2): the oldest releases with flag data, and
 *   every flag rendered is in both listed releases of each.
 * @internal
 */
export const BINARIES = {
  thanos: { name: 'Thanos', flags: FLAG_DATA.thanos, oldest: Version.of('v0.31.0'), subcommands: true } as Binary,
  prometheus: { name: 'Prometheus', flags: FLAG_DATA.prometheus, oldest: Version.of('v2.53.0') } as Binary,
  alertmanager: { name: 'Alertmanager', flags: FLAG_DATA.alertmanager, oldest: Version.of('v0.27.0') } as Binary,
  pushgateway: { name: 'Pushgateway', flags: FLAG_DATA.pushgateway, oldest: Version.of('v1.9.0') } as Binary,
  configReloader: { name: 'prometheus-config-reloader', flags: FLAG_DATA.configReloader, oldest: Version.of('v0.75.0') } as Binary,
};

/**
 * Where what the library renders changes between releases; each was read in
 * the upstream source at the tags around it, and test/images checks each
 * flag against the flag data.
 * @internal
 */
export const SINCE = {
  /**
   * `thanos query --endpoint.sd-config-file` (`extflag.RegisterPathOrContent(cmd,
   * "endpoint.sd-config", …)` in cmd/thanos/query.go); `--store` is removed.
   * Before, each store is an `--endpoint` flag.
   */
  thanosEndpointSdConfig: Version.of('v0.38.0'),
  /** `alertmanager --cluster.peer-name` (cmd/alertmanager/main.go); before, a random name per start. */
  alertmanagerPeerName: Version.of('v0.30.0'),
  /**
   * Prometheus expands `${VAR}` in external labels always (config.Load in
   * config/config.go); before, only with `--enable-feature=expand-external-labels`.
   */
  prometheusExpandsExternalLabels: Version.of('v3.0.0'),
  /** Retention in the config file's `storage.tsdb` rather than the flags (see config/prometheus/tsdb.ts). */
  prometheusRetentionInConfigFile: Version.of('v3.11.0'),
  /** `storage.tsdb.out_of_order_time_window` in the config file. */
  prometheusOutOfOrderTimeWindow: Version.of('v2.39.0'),
};

/** The version an image runs: its `version`, else its tag's; undefined when neither is one. @internal */
export function imageVersion(image: ContainerImage): Version | undefined {
  return image.version === undefined ? undefined : Version.parse(image.version);
}

/**
 * The version `image` runs, which must be one `binary` supports; else a
 * ValidationError on `prop` (the component's image prop): a tag that is no
 * version (say which with `{ version }`), or a release older than the oldest supported.
 * @internal
 */
export function supportedVersion(scope: IConstruct, prop: string, image: ContainerImage, binary: Binary): Version {
  const version = imageVersion(image);
  if (!version) {
    invalid(scope, prop, `the tag '${image.tag}' of '${image.repository}' is not a version: say which ${binary.name} release it runs, `
      + `e.g. ContainerImage.of('${image.repository}', '${image.tag}', { version: '${binary.flags.releases[binary.flags.releases.length - 1]}' })`);
  }
  if (version.olderThan(binary.oldest)) {
    invalid(scope, prop, `${binary.name} ${version} is older than the oldest supported ${binary.oldest}`);
  }
  return version;
}

/**
 * The problems of a command line for a release: every `--flag` (without its
 * `=value`; `--no-<boolean>` counts as the boolean) must be one the release
 * takes, and each `--enable-feature` name one it knows. Thanos: `args[0]` is
 * the subcommand. Empty when there are none.
 * @internal
 */
export function argProblems(binary: Binary, version: Version, args: string[]): string[] {
  const data = binary.flags;
  const refs = data.references(version);
  const against = refs.length === 1 && refs[0].compare(version) === 0 ? data.file
    : refs.length === 1 ? `not in ${refs[0]}, the nearest release listed in ${data.file}`
      : `not in both ${refs.join(' and ')}, the releases listed around it in ${data.file}`;
  let commands = ['flags'];
  let flags = args;
  let what = binary.name;
  if (binary.subcommands) {
    const sub = args[0];
    if (!sub || sub.startsWith('-') || !refs.every(r => data.commands(r).includes(sub)) || sub === 'global') {
      return [`${binary.name} has no flag data for the subcommand '${sub}' (${data.file})`];
    }
    commands = ['global', sub];
    flags = args.slice(1);
    what = `${binary.name} ${sub}`;
  }
  const problems: string[] = [];
  for (const arg of flags) {
    if (!arg.startsWith('--')) {
      problems.push(`'${arg}' is not a --flag`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!data.accepts(version, commands, name)) {
      problems.push(`${what} ${version} does not take --${name} (${against})`);
    } else if (name === 'enable-feature' && eq >= 0 && data.listsFeatures) {
      for (const feature of arg.slice(eq + 1).split(',').filter(f => f !== '')) {
        if (!data.hasFeature(version, feature)) problems.push(`${binary.name} ${version} has no feature '${feature}' for --enable-feature (${against})`);
      }
    }
  }
  return problems;
}

/**
 * `args`, once every flag of them is checked against what the release takes
 * ({@link argProblems}); else a ValidationError on `prop` naming the flag, so a
 * `version` that lacks a flag fails synth instead of crash-looping the pod.
 * @internal
 */
export function checkedArgs(scope: IConstruct, prop: string, binary: Binary, version: Version, args: string[]): string[] {
  const problems = argProblems(binary, version, args);
  if (problems.length) invalid(scope, prop, problems.join('; '));
  return args;
}
