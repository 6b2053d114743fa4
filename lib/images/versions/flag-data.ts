import ALERTMANAGER from '../flags/alertmanager.json';
import CONFIG_RELOADER from '../flags/prometheus-config-reloader.json';
import PROMETHEUS from '../flags/prometheus.json';
import PUSHGATEWAY from '../flags/pushgateway.json';
import THANOS from '../flags/thanos.json';
import { Version } from './version';

/** The part of a lib/images/flags/*.json file the library reads (see its README). */
interface FlagFile {
  readonly binary: string;
  /** Per release: the flags of each command (`flags`, or Thanos' `global` and subcommands), `features`. */
  readonly versions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Per release and command: the boolean flags, which kingpin also takes as `--no-<name>`. */
  readonly booleans: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * What the releases of one binary accept on their command line, from the
 * lists in lib/images/flags/ (extracted from upstream source at each tag).
 *
 * A release with a list is checked against it. A release between two listed
 * ones is checked against both neighbours: a flag counts as accepted only if
 * both have it, which holds for a flag that was there all along and refuses
 * one that came or went in between. The newer neighbour is left out when it
 * is a new major release of a 1.x-or-later binary (Prometheus 3.0 after 2.53
 * for a 2.55), as those remove flags by design. A release newer than every
 * listed one is checked against the newest.
 * @internal
 */
export class FlagData {
  /** The releases with a list, oldest first. */
  public readonly releases: Version[];
  /** The key of each listed release in the file (`v0.42.4`), by its normalized form. */
  private readonly keys = new Map<string, string>();

  constructor(
    /** The data file, for messages: `lib/images/flags/thanos.json`. */
    public readonly file: string,
    private readonly data: FlagFile,
  ) {
    for (const key of Object.keys(data.versions)) this.keys.set(Version.of(key).toString(), key);
    this.releases = Object.keys(data.versions).map(Version.of).sort((a, b) => a.compare(b));
  }

  /** The listed releases `version` is checked against (see the class). */
  public references(version: Version): Version[] {
    const exact = this.releases.find(r => r.compare(version) === 0);
    if (exact) return [exact];
    const older = this.releases.filter(r => r.olderThan(version)).pop();
    const newer = this.releases.find(r => version.olderThan(r));
    const breaks = newer && version.major >= 1 && newer.major > version.major;
    return [older, breaks ? undefined : newer].filter((r): r is Version => r !== undefined);
  }

  /** Whether every reference release of `version` takes `--name` (or `--no-name` of a boolean) in one of `commands`. */
  public accepts(version: Version, commands: string[], name: string): boolean {
    const refs = this.references(version);
    return refs.length > 0 && refs.every(r => commands.some(c => this.list(r, c).includes(name)
      || (name.startsWith('no-') && this.booleans(r, c).includes(name.slice(3)))));
  }

  /** Whether every reference release of `version` knows the `--enable-feature` name (`features`). */
  public hasFeature(version: Version, feature: string): boolean {
    const refs = this.references(version);
    return refs.length > 0 && refs.every(r => this.list(r, 'features').includes(feature));
  }

  /** Whether the data lists `--enable-feature` names (Prometheus, Alertmanager). */
  public get listsFeatures(): boolean {
    return this.releases.every(r => this.data.versions[this.key(r)].features !== undefined);
  }

  /** The commands of a release: `flags`, or Thanos' `global` and its subcommands. */
  public commands(release: Version): string[] {
    return Object.keys(this.data.versions[this.key(release)]).filter(k => !k.startsWith('features'));
  }

  private list(release: Version, key: string): readonly string[] {
    return this.data.versions[this.key(release)][key] ?? [];
  }

  private booleans(release: Version, key: string): readonly string[] {
    return this.data.booleans[this.key(release)]?.[key] ?? [];
  }

  /** The key of a listed release in the file (`v0.42.4`). */
  private key(release: Version): string {
    const key = this.keys.get(release.toString());
    if (key === undefined) throw new Error(`${this.file} has no list for ${release}`);
    return key;
  }
}

/** The flag data of each binary the library renders flags for. @internal */
export const FLAG_DATA = {
  thanos: new FlagData('lib/images/flags/thanos.json', THANOS),
  prometheus: new FlagData('lib/images/flags/prometheus.json', PROMETHEUS),
  alertmanager: new FlagData('lib/images/flags/alertmanager.json', ALERTMANAGER),
  pushgateway: new FlagData('lib/images/flags/pushgateway.json', PUSHGATEWAY),
  configReloader: new FlagData('lib/images/flags/prometheus-config-reloader.json', CONFIG_RELOADER),
};
