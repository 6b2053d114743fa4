// The alert pipeline of one chart (Pushgateway -> Prometheus replicas -> Alertmanager
// cluster -> webhook) rebuilt on this machine from the synthesized manifests, for
// pipeline.tools.test.ts.
//
// NETWORK: loopback only. Unlike startRenderedPrometheus (prometheus-pod.ts), which points
// every static target at an unused port, here each rendered target is mapped BY MEANING to
// the local process that plays that pod or Service (see `startPrometheusReplica`); a
// rendered target the caller did not map makes it throw before any daemon starts, and so
// does any `.svc` left in the config or args. Kubernetes service discovery finds no API
// server (its env vars are unset), as in prometheus-pod.ts.
import { readFileSync, writeFileSync } from 'fs';
import { parse, stringify } from 'yaml';
import { Daemon, startDaemon } from './daemon';
import { container, find, Manifest } from './synth';
import { prometheusPodFilesystem } from './prometheus-pod';
import { tool } from './tools';

const flagOf = (arg: string) => (arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg);
const valueOf = (arg: string) => arg.slice(arg.indexOf('=') + 1);

/** Throws when `text` still names a cluster DNS name: no daemon may ever resolve one. */
export function assertNoSvc(what: string, text: string): void {
  if (text.includes('.svc')) throw new Error(`a *.svc address survived the rewrite of ${what}:\n${text}`);
}

/** A running Pushgateway started with its rendered args. */
export interface LivePushgateway {
  readonly daemon: Daemon;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `127.0.0.1:<port>`: where the Prometheus pushgateway job's target goes. */
  readonly address: string;
  readonly rendered: string[];
  readonly args: string[];
}

/**
 * Starts the real pushgateway with the rendered args of StatefulSet `name`: only the
 * listen address changes (to 127.0.0.1:`port`). Throws on rendered persistence (the
 * pipeline test renders it off; a path in the pod would need mapping).
 */
export async function startRenderedPushgateway(manifests: Manifest[], port: number, name = 'pushgateway'): Promise<LivePushgateway> {
  const c = container(find(manifests, 'StatefulSet', name), 'pushgateway');
  const rendered: string[] = c.args;
  const args = rendered.map(arg => {
    if (flagOf(arg) === '--persistence.file') throw new Error(`unexpected rendered ${arg}: render the Pushgateway with persistence off`);
    return flagOf(arg) === '--web.listen-address' ? `--web.listen-address=127.0.0.1:${port}` : arg;
  });
  assertNoSvc('the pushgateway args', args.join(' '));
  const base = `http://127.0.0.1:${port}`;
  const daemon = await startDaemon({
    name: `${name}-0`,
    command: tool('pushgateway'),
    args,
    readyUrl: `${base}${c.readinessProbe.httpGet.path}`,
  });
  return { daemon, base, address: `127.0.0.1:${port}`, rendered, args };
}

/** Where a static target appears in prometheus.yml. */
export type TargetPlace =
  | { readonly section: 'scrape'; readonly job: string }
  | { readonly section: 'alerting'; readonly index: number };

/**
 * Maps each rendered `host:port` to a local `127.0.0.1:port`. Throws on a target it has
 * no entry for, so a new or renamed target in the rendered config is noticed instead of
 * being silently pointed somewhere.
 */
export function mapByAddress(local: ReadonlyMap<string, string>): (place: TargetPlace, target: string) => string {
  return (place, target) => {
    const to = local.get(target);
    if (to === undefined) {
      const where = place.section === 'scrape' ? `scrape job '${place.job}'` : `alerting.alertmanagers[${place.index}]`;
      throw new Error(`no local address for the rendered target ${target} of ${where}`);
    }
    return to;
  };
}

/** A running Prometheus replica. */
export interface LivePrometheusReplica {
  readonly podName: string;
  readonly daemon: Daemon;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly args: string[];
  /** prometheus.yml as rendered (rule_files already mapped into the pod dir). */
  readonly renderedConfig: any;
  /** prometheus.yml as the daemon reads it: only static targets differ from `renderedConfig`. */
  readonly config: any;
}

/**
 * Starts one replica of the Prometheus StatefulSet `name` with the rendered args, as pod
 * `podName` (the downward-API POD_NAME), listening on 127.0.0.1:`port`, with every static
 * target (scrape jobs and `alerting.alertmanagers`) passed through `mapTarget`.
 * Everything else in the config (api_version, path_prefix, relabelings, honor_labels,
 * external labels, …) and every other flag is kept as rendered.
 *
 * This is startRenderedPrometheus (prometheus-pod.ts) with a target mapping hook instead
 * of its fixed "self or unused port" rewrite; the arg rewrite is the same.
 */
export async function startPrometheusReplica(
  manifests: Manifest[],
  options: { podName: string; port: number; mapTarget: (place: TargetPlace, target: string) => string; name?: string },
): Promise<LivePrometheusReplica> {
  const pod = prometheusPodFilesystem(manifests, options.name);
  const base = `http://127.0.0.1:${options.port}`;
  const renderedConfig = parse(readFileSync(pod.configFile, 'utf8'));
  const config = parse(readFileSync(pod.configFile, 'utf8'));
  for (const job of config.scrape_configs) {
    for (const sc of job.static_configs ?? []) {
      sc.targets = sc.targets.map((t: string) => options.mapTarget({ section: 'scrape', job: job.job_name }, t));
    }
  }
  (config.alerting?.alertmanagers ?? []).forEach((am: any, index: number) => {
    for (const sc of am.static_configs ?? []) sc.targets = sc.targets.map((t: string) => options.mapTarget({ section: 'alerting', index }, t));
  });
  const text = stringify(config);
  assertNoSvc(`${options.podName}'s prometheus.yml`, text);
  writeFileSync(pod.configFile, text);
  const args = (pod.prom.args as string[]).map(arg => {
    const flag = flagOf(arg);
    if (flag === '--config.file' || flag === '--storage.tsdb.path') return `${flag}=${pod.inPod(valueOf(arg))}`;
    if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${options.port}`;
    return arg;
  });
  assertNoSvc(`${options.podName}'s args`, args.join(' '));
  const daemon = await startDaemon({
    name: options.podName,
    command: tool('prometheus'),
    args,
    cwd: pod.root,
    env: {
      POD_NAME: options.podName,
      // Kubernetes service discovery must find no cluster to talk to.
      KUBERNETES_SERVICE_HOST: undefined,
      KUBERNETES_SERVICE_PORT: undefined,
    },
    readyUrl: `${base}${pod.prom.readinessProbe.httpGet.path}`,
  });
  return { podName: options.podName, daemon, base, args, renderedConfig, config };
}

/** A config with every static target list removed: what must be equal before and after the rewrite. */
export function withoutTargets(config: any): any {
  const copy = JSON.parse(JSON.stringify(config));
  for (const job of copy.scrape_configs ?? []) for (const sc of job.static_configs ?? []) delete sc.targets;
  for (const am of copy.alerting?.alertmanagers ?? []) for (const sc of am.static_configs ?? []) delete sc.targets;
  return copy;
}

/** The value of one sample of `metric` matching all `labels` in Prometheus text exposition, or undefined. */
export function sampleValue(exposition: string, metric: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== metric) continue;
    const have: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) have[l[1]] = l[2];
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}
