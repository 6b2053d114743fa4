// The alert pipeline of one chart (Pushgateway -> Prometheus replicas -> Alertmanager
// cluster -> webhook) rebuilt on this machine from the synthesized manifests, for
// pipeline.tools.test.ts.
//
// NETWORK: loopback only. Each rendered target is mapped BY MEANING to the local process
// that plays that pod or Service (`mapByAddress`, given to startRenderedPrometheus); a
// rendered target the caller did not map makes it throw before any daemon starts, and so
// does any `.svc` left in the config or args.
import { Daemon, startDaemon } from './daemon';
import { assertNoSvc, TargetMapper } from './prometheus-pod';
import { container, find, Manifest } from './synth';
import { tool } from './tools';

const flagOf = (arg: string) => (arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg);

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

/**
 * Maps each rendered `host:port` to a local `127.0.0.1:port`. Throws on a target it has
 * no entry for, so a new or renamed target in the rendered config is noticed instead of
 * being silently pointed somewhere.
 */
export function mapByAddress(local: ReadonlyMap<string, string>): TargetMapper {
  return (place, target) => {
    const to = local.get(target);
    if (to === undefined) {
      const where = place.section === 'scrape' ? `scrape job '${place.job}'` : `alerting.alertmanagers[${place.index}]`;
      throw new Error(`no local address for the rendered target ${target} of ${where}`);
    }
    return to;
  };
}

/** The parts of a prometheus.yml that hold static target lists. */
interface StaticTargetLists {
  scrape_configs?: Array<{ static_configs?: Array<{ targets?: string[] }> }>;
  alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets?: string[] }> }> };
}

/** A config with every static target list removed: what must be equal before and after the rewrite. */
export function withoutTargets(config: unknown): unknown {
  const copy: StaticTargetLists = JSON.parse(JSON.stringify(config));
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
