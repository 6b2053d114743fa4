import { Duration } from 'cdk8s';
import { ScrapeJobs } from '../config/prometheus/scrape-jobs';
import { invalid } from '../errors';
import { ScrapeJob } from '../config/prometheus/scrape-job';
import { IComponent, NamedPort } from '../wiring/interfaces';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { BlackboxExporter } from './blackbox-exporter';
import { BlackboxModule } from './blackbox-module';

/** What a probe needs of the Prometheus that runs it: a component that takes scrape jobs. @internal */
export interface ProbingPrometheus extends IComponent {
  addScrapeJob(job: ScrapeJob): void;
}

/** Options of `Prometheus.probe()`. */
export interface ProbeOptions {
  /**
   * The exporter that probes.
   * @default the BlackboxExporter of this Prometheus' stack (the scope both were created in)
   */
  readonly exporter?: BlackboxExporter;
  /** The scrape job's name. @default 'blackbox-<module name>' */
  readonly jobName?: string;
  /** Labels added to every series of these probes. @default none */
  readonly labels?: Record<string, string>;
  /** How often each target is probed. @default the global scrape interval */
  readonly scrapeInterval?: Duration;
}

/** The one BlackboxExporter created in the same scope as `prometheus`. */
function exporterOfStack(prometheus: ProbingPrometheus): BlackboxExporter {
  const stack = prometheus.node.scope ?? prometheus.node.root;
  const found = stack.node.children.filter((c): c is BlackboxExporter => c instanceof BlackboxExporter);
  if (!found.length) {
    invalid(prometheus, 'probe', `no BlackboxExporter in the stack '${stack.node.path}': create one there `
      + '(MonitoringChart: blackboxExporter: {}) or pass options.exporter');
  }
  if (found.length > 1) {
    invalid(prometheus, 'probe.exporter', `the stack has ${found.length} BlackboxExporters (${found.map(e => e.node.id).join(', ')}): name one in options.exporter`);
  }
  return found[0];
}

/**
 * What `Prometheus.probe()` does: the black-box scrape job (each target is
 * the exporter's `target` parameter and the `instance` label, the scrape goes
 * to the exporter's `/probe` with the `module` parameter), the module in the
 * exporter's config, and the NetworkPolicy edges: Prometheus to the exporter,
 * the exporter to the probed ports anywhere (the targets' ports, parsed from
 * the URLs and host:port; every port for ICMP, which NetworkPolicies cannot name).
 * @internal
 */
export function addProbe(prometheus: ProbingPrometheus, targets: string[], module: string | BlackboxModule, options: ProbeOptions): void {
  const exporter = options.exporter ?? exporterOfStack(prometheus);
  if (!targets.length) invalid(prometheus, 'probe.targets', 'needs at least one target');
  const resolved = typeof module === 'string'
    ? exporter.module(module) ?? invalid(prometheus, 'probe.module', `'${module}' is not a module of '${exporter.node.path}' `
      + `(it has ${exporter.modules.map(m => m.name).join(', ') || 'none'}): pass a BlackboxModule, which is added to it`)
    : module;
  const ports: NamedPort[][] = targets.map((target, i) => {
    const found = resolved.targetPorts(target);
    return typeof found === 'string' ? invalid(prometheus, `probe.targets[${i}]`, found) : found;
  });
  if (typeof module !== 'string') exporter.addModule(module);
  prometheus.addScrapeJob(ScrapeJobs.blackboxProbe({
    jobName: options.jobName,
    exporterAddress: exporter.probeAddress,
    module: resolved.name,
    targets,
    labels: options.labels,
    scrapeInterval: options.scrapeInterval,
  }));

  const graph = NetworkGraph.of(prometheus);
  graph.connect(NetworkPeer.component(prometheus), NetworkPeer.component(exporter), [exporter.port]);
  const unique = new Map(ports.flat().map(p => [`${p.port}/${p.protocol ?? 'TCP'}`, p]));
  // No ports means every port and protocol: ICMP has no port to name.
  graph.connect(NetworkPeer.component(exporter), NetworkPeer.anywhere(), ports.some(p => !p.length) ? [] : [...unique.values()]);
}
