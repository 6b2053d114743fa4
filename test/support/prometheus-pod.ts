// A Prometheus pod rebuilt on this machine from its synthesized manifests, for the
// real-binary tests. NETWORK: loopback only. Every static scrape target is rewritten
// to 127.0.0.1 (the `prometheus` job to this Prometheus itself, others to a free port
// nobody listens on), the listen address to 127.0.0.1:<free port>, and the Kubernetes
// service discovery jobs get no in-cluster API server (its env vars are unset), so no
// `*.svc` name is ever resolved or contacted.
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { Daemon, freePort, startDaemon, tempDir } from './daemon';
import { container, find, flagValues, Manifest } from './synth';
import { tool } from './tools';

/**
 * Recreates the prometheus container's filesystem under a temp dir: every ConfigMap
 * volume's files at its mountPath, other volumes as empty dirs. The rendered files hold
 * absolute container paths (`rule_files`, `--config.file`) that do not exist outside
 * the pod; `inPod()` maps them into the temp dir, so what stays checked is that the
 * args, the mounts, the ConfigMap keys and the rule_files glob agree with each other.
 */
export function prometheusPodFilesystem(manifests: Manifest[], name = 'prometheus') {
  const root = tempDir('prometheus-pod');
  const inPod = (path: string) => join(root, path);
  const sts = find(manifests, 'StatefulSet', name);
  const prom = container(sts, 'prometheus');
  for (const mount of prom.volumeMounts) {
    const volume = sts.spec.template.spec.volumes?.find((v: { name?: string }) => v.name === mount.name);
    mkdirSync(inPod(mount.mountPath), { recursive: true });
    if (!volume?.configMap) continue;
    const cm = find(manifests, 'ConfigMap', volume.configMap.name);
    for (const [file, content] of Object.entries<string>(cm.data)) writeFileSync(join(inPod(mount.mountPath), file), content);
  }
  const configFile = inPod(flagValues(prom.args, '--config.file')[0]);
  const config = parse(readFileSync(configFile, 'utf8'));
  config.rule_files = config.rule_files.map(inPod);
  writeFileSync(configFile, stringify(config));
  return { root, inPod, sts, prom, reloader: container(sts, 'config-reloader'), configFile };
}

/** Where a static target appears in prometheus.yml. */
export type TargetPlace =
  | { readonly section: 'scrape'; readonly job: string }
  | { readonly section: 'alerting'; readonly index: number };

/** How a rendered static target becomes a loopback address. */
export type TargetMapper = (place: TargetPlace, target: string) => string;

/** Options of {@link startRenderedPrometheus}. */
export interface StartPrometheusOptions {
  /** The downward API's POD_NAME. @default 'prometheus-0' */
  readonly podName?: string;
  /** @default a free port */
  readonly port?: number;
  /** The StatefulSet. @default 'prometheus' */
  readonly name?: string;
  /**
   * Where each static target (scrape jobs and `alerting.alertmanagers`) goes.
   * @default the `prometheus` job to this Prometheus, everything else to a port nobody listens on
   */
  readonly mapTarget?: TargetMapper;
}

/** A running Prometheus started with the rendered args. */
export interface LivePrometheus {
  readonly podName: string;
  readonly daemon: Daemon;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The config file the daemon reads (edit it, then reload). */
  readonly configFile: string;
  /** The args it was started with. */
  readonly args: string[];
  /** prometheus.yml as rendered (rule_files already mapped into the pod dir). */
  readonly renderedConfig: any;
  /** prometheus.yml as the daemon reads it: only static targets differ from `renderedConfig`. */
  readonly config: any;
  /** The pod filesystem and rendered containers. */
  readonly pod: ReturnType<typeof prometheusPodFilesystem>;
}

/** Throws when `text` still names a cluster DNS name: no daemon may ever resolve one. */
export function assertNoSvc(what: string, text: string): void {
  if (text.includes('.svc')) throw new Error(`a *.svc address survived the rewrite of ${what}:\n${text}`);
}

/**
 * Starts the real prometheus with the rendered args of the pod in `manifests`. Only
 * the file paths, the listen address and the static targets (see `mapTarget`) change;
 * every other flag and config field is passed as rendered.
 */
export async function startRenderedPrometheus(manifests: Manifest[], options: StartPrometheusOptions = {}): Promise<LivePrometheus> {
  const podName = options.podName ?? 'prometheus-0';
  const pod = prometheusPodFilesystem(manifests, options.name);
  const port = options.port ?? await freePort();
  const unusedPort = await freePort(); // stays closed: scrapes there fail fast on loopback
  const mapTarget: TargetMapper = options.mapTarget
    ?? ((place) => `127.0.0.1:${place.section === 'scrape' && place.job === 'prometheus' ? port : unusedPort}`);
  const base = `http://127.0.0.1:${port}`;
  const renderedConfig = parse(readFileSync(pod.configFile, 'utf8'));
  const config = parse(readFileSync(pod.configFile, 'utf8'));
  for (const job of config.scrape_configs) {
    for (const sc of job.static_configs ?? []) {
      sc.targets = sc.targets.map((t: string) => mapTarget({ section: 'scrape', job: job.job_name }, t));
    }
  }
  (config.alerting?.alertmanagers ?? []).forEach((am: { static_configs?: Array<{ targets: string[] }> }, index: number) => {
    for (const sc of am.static_configs ?? []) sc.targets = sc.targets.map((t: string) => mapTarget({ section: 'alerting', index }, t));
  });
  const text = stringify(config);
  assertNoSvc(`${podName}'s prometheus.yml`, text);
  writeFileSync(pod.configFile, text);
  const args = (pod.prom.args as string[]).map(arg => {
    const [flag, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    if (flag === '--config.file' || flag === '--storage.tsdb.path') return `${flag}=${pod.inPod(value)}`;
    if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${port}`;
    return arg;
  });
  assertNoSvc(`${podName}'s args`, args.join(' '));
  const daemon = await startDaemon({
    name: podName,
    command: tool('prometheus'),
    args,
    cwd: pod.root,
    env: {
      POD_NAME: podName, // what the downward API sets
      // Kubernetes service discovery must find no cluster to talk to.
      KUBERNETES_SERVICE_HOST: undefined,
      KUBERNETES_SERVICE_PORT: undefined,
    },
    readyUrl: `${base}${pod.prom.readinessProbe.httpGet.path}`,
  });
  return { podName, daemon, base, configFile: pod.configFile, args, renderedConfig, config, pod };
}
