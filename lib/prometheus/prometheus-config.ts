import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import { positiveDuration } from '../config/common/fields';
import { compact, validateLabelName, validateLabels } from '../config/common/validate';
import { PROMETHEUS_SECRETS_DIR } from '../config/common/secret-file';
import { resolveSecretFiles, SecretMount } from '../config/common/secret-mounts';
import { RelabelAction, RelabelRule, renderRelabelRule, renderRelabelRules } from '../config/prometheus/relabel';
import { checkRemoteList, RemoteRead, RemoteWrite, renderRemoteRead, renderRemoteWrite } from '../config/prometheus/remote-storage';
import { KubernetesRole, renderScrapeJob, ScrapeDefaults, ScrapeJob } from '../config/prometheus/scrape-job';
import { renderStorage, RetentionLimits, TsdbConfig } from '../config/prometheus/tsdb';
import { invalid } from '../errors';
import { ContainerImage } from '../images/container-image';
import { promDuration } from '../private/durations';
import { IAlertmanagerTarget, IComponent, IPushgatewayTarget } from '../wiring/interfaces';
import { MetricsEndpoint, MetricsSource, scrapeJobName } from '../wiring/network-graph';
import { checkDiscoveryScope, DiscoveryScope } from './discovery-scope';

/** The props of {@link Prometheus} that shape `prometheus.yml`. */
export interface PrometheusConfigOptions {
  /**
   * Labels added to every series and alert leaving this Prometheus (e.g. `cluster`).
   * @default none
   */
  readonly externalLabels?: Record<string, string>;
  /**
   * Name of the external label that holds the pod name, distinct per replica.
   * @default 'replica'
   */
  readonly replicaLabel?: string;
  /** @default Duration.seconds(30) */
  readonly scrapeInterval?: Duration;
  /** @default Duration.seconds(10), or the scrape interval if that is shorter */
  readonly scrapeTimeout?: Duration;
  /** @default Duration.seconds(30) */
  readonly evaluationInterval?: Duration;
  /**
   * Relabeling of alerts before they are sent, after the replica label is
   * dropped (the Alertmanager cluster de-duplicates the replicas' copies
   * only when their labels are equal).
   * @default none
   */
  readonly alertRelabelings?: RelabelRule[];
  /**
   * The `storage.tsdb` section of the config file (retention is the `retention` prop).
   * @default none
   */
  readonly tsdb?: TsdbConfig;
  /**
   * Where Kubernetes service discovery may look: the whole cluster
   * (ClusterRole) or a list of namespaces (a Role in each).
   * @default DiscoveryScope.cluster()
   */
  readonly discovery?: DiscoveryScope;
  /**
   * Scrape pods and Service endpoints annotated `prometheus.io/scrape: "true"`.
   * @default true
   */
  readonly annotationDiscovery?: boolean;
  /**
   * Additional scrape jobs.
   * @default none
   */
  readonly scrapeJobs?: ScrapeJob[];
  /**
   * Remote storages every sample is also sent to.
   * @default none
   */
  readonly remoteWrite?: RemoteWrite[];
  /**
   * Remote storages queries also read from.
   * @default none
   */
  readonly remoteRead?: RemoteRead[];
}

/** Where the Prometheus pods are and what they run: the input of the built-in jobs. @internal */
export interface PrometheusSelf {
  /** The construct errors are reported on. */
  readonly scope: IConstruct;
  /** The Prometheus itself, whose stack decides the job names. */
  readonly scraper: IComponent;
  readonly namespace: string;
  /** What this Prometheus scrapes: the components of its stack (itself included) and those it asked for. */
  readonly metricsSources: () => MetricsSource[];
  /** Changes whenever the wiring does, so a rendering can be reused until then. */
  readonly graphVersion: () => number;
  readonly image: ContainerImage;
  readonly discovery: DiscoveryScope;
  readonly retention: RetentionLimits;
}

// Static targets are per-pod DNS names (`<pod>.<headless service>…`): label series with the pod,
// which a Prometheus and its sidecar share (the default Thanos rules join on it).
const POD_FROM_ADDRESS: RelabelRule = { sourceLabels: ['__address__'], regex: '([^.:]+)[.:].*', targetLabel: 'pod' };

/**
 * The scrape job of a component's metrics endpoint: its pods by DNS name
 * where they have stable ones, else the endpoints of its Service.
 * @internal
 */
export function metricsScrapeJob(source: MetricsSource, endpoint: MetricsEndpoint, jobName: string): ScrapeJob {
  if (endpoint.staticTargets) {
    return {
      jobName,
      metricsPath: endpoint.path,
      honorLabels: endpoint.honorLabels,
      staticTargets: endpoint.staticTargets,
      // A pushed group's labels are the batch job's, not a pod's.
      relabelings: endpoint.honorLabels ? undefined : [POD_FROM_ADDRESS],
    };
  }
  return {
    jobName,
    metricsPath: endpoint.path,
    honorLabels: endpoint.honorLabels,
    kubernetesSd: [{ role: KubernetesRole.ENDPOINTS, namespaces: [source.component.identity.namespace] }],
    relabelings: [
      { sourceLabels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], regex: `${endpoint.service};${endpoint.port.name}`, action: RelabelAction.KEEP },
      { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
    ],
  };
}

/**
 * The model of `prometheus.yml`, as aws-ecs' TaskDefinition is of a task:
 * the Prometheus construct adds Alertmanagers, Pushgateways, jobs and remote
 * storages to it and renders it into its ConfigMap. Each `add*()` checks
 * its input at once, so an error points at the call that caused it.
 * @internal
 */
export class PrometheusConfig {
  /** The external label that differs per replica. */
  public readonly replicaLabel: string;
  /** How often rules are evaluated. */
  public readonly evaluationInterval: Duration;
  private readonly alertmanagerList: IAlertmanagerTarget[] = [];
  private readonly pushgatewayList: IPushgatewayTarget[] = [];
  private readonly scrapeJobs: ScrapeJob[] = [];
  private readonly remoteWrites: RemoteWrite[] = [];
  private readonly remoteReads: RemoteRead[] = [];
  private readonly scope: IConstruct;
  private changes = 0;
  private readonly cache = new Map<number, { key: string; config: Record<string, unknown>; mounts: SecretMount[] }>();

  constructor(private readonly options: PrometheusConfigOptions, private readonly self: PrometheusSelf) {
    this.scope = self.scope;
    this.replicaLabel = validateLabelName(this.scope, 'replicaLabel', options.replicaLabel ?? 'replica');
    validateLabels(this.scope, 'externalLabels', options.externalLabels);
    if (options.externalLabels?.[this.replicaLabel] !== undefined) {
      invalid(this.scope, 'externalLabels', `'${this.replicaLabel}' is the replica label, set per pod; choose another name or change replicaLabel`);
    }
    this.evaluationInterval = options.evaluationInterval ?? Duration.seconds(30);
    // Fail at the line that set a bad interval, not later during synth.
    this.globalConfig();
    // Checked now, even while no Alertmanager is wired yet (they only render with one).
    renderRelabelRules(this.scope, 'alertRelabelings', options.alertRelabelings);
  }

  /**
   * The config of `shard` with its Secret files resolved, and the Secrets to
   * mount for them: rendered once per change of the config or the wiring,
   * though the ConfigMap, the mounts and the volumes all read it at synth.
   */
  public resolved(shard?: ShardOf): { config: Record<string, unknown>; mounts: SecretMount[] } {
    const key = `${this.self.graphVersion()}/${this.changes}`;
    const cached = this.cache.get(shard?.index ?? 0);
    if (cached?.key === key) return cached;
    const resolved = { key, ...resolveSecretFiles(this.scope, this.render(shard), PROMETHEUS_SECRETS_DIR) };
    this.cache.set(shard?.index ?? 0, resolved);
    return resolved;
  }

  /** The Alertmanager clusters alerts go to. */
  public get alertmanagers(): IAlertmanagerTarget[] {
    return [...this.alertmanagerList];
  }

  /** The Pushgateways scraped with `honor_labels`. */
  public get pushgateways(): IPushgatewayTarget[] {
    return [...this.pushgatewayList];
  }

  /** @throws if it is already added */
  public addAlertmanager(alertmanager: IAlertmanagerTarget): void {
    if (this.alertmanagerList.includes(alertmanager)) {
      invalid(this.scope, 'alertmanagers', `'${alertmanager.node.path}' is already added`);
    }
    this.alertmanagerList.push(alertmanager);
    this.changes++;
  }

  /** @throws if it is already added */
  public addPushgateway(pushgateway: IPushgatewayTarget): void {
    if (this.pushgatewayList.includes(pushgateway)) {
      invalid(this.scope, 'pushgateways', `'${pushgateway.node.path}' is already added`);
    }
    this.pushgatewayList.push(pushgateway);
    this.changes++;
  }

  /** @throws if a job of that name exists, or the job is invalid */
  public addScrapeJob(job: ScrapeJob): void {
    const builtIn = this.builtInJobs().map(j => j.jobName);
    if (this.scrapeJobs.some(j => j.jobName === job.jobName) || builtIn.includes(job.jobName)) {
      invalid(this.scope, 'scrapeJobs', `a job named '${job.jobName}' already exists (built-in jobs: ${builtIn.join(', ')})`);
    }
    renderScrapeJob(this.scope, `scrapeJobs[${job.jobName}]`, job);
    this.scrapeJobs.push(job);
    this.changes++;
  }

  /** @throws if it is invalid, or its name or URL is taken */
  public addRemoteWrite(remoteWrite: RemoteWrite): void {
    renderRemoteWrite(this.scope, `remoteWrite[${this.remoteWrites.length}]`, remoteWrite);
    checkRemoteList(this.scope, 'remoteWrite', [...this.remoteWrites, remoteWrite]);
    this.remoteWrites.push(remoteWrite);
    this.changes++;
  }

  /** @throws if it is invalid, or its name or URL is taken */
  public addRemoteRead(remoteRead: RemoteRead): void {
    renderRemoteRead(this.scope, `remoteRead[${this.remoteReads.length}]`, remoteRead);
    checkRemoteList(this.scope, 'remoteRead', [...this.remoteReads, remoteRead]);
    this.remoteReads.push(remoteRead);
    this.changes++;
  }

  /**
   * The config as data (SecretFile values still unresolved); for one shard of
   * a sharded Prometheus, every job keeps only that shard's share of its targets.
   */
  public render(shard?: ShardOf): Record<string, unknown> {
    const global = this.globalConfig(shard);
    const jobs = [...this.builtInJobs(), ...this.scrapeJobs];
    checkDiscoveryScope(this.scope, this.self.namespace, jobs, this.self.discovery);
    const seen = new Set<string>();
    for (const job of jobs) {
      if (seen.has(job.jobName)) {
        invalid(this.scope, 'scrapeJobs', `a job named '${job.jobName}' already exists (built-in jobs: ${this.builtInJobs().map(j => j.jobName).join(', ')})`);
      }
      seen.add(job.jobName);
    }
    // The replicas send the same alerts; without their replica label, the Alertmanager cluster sees one alert, not one per replica.
    const alertRelabelings = [
      renderRelabelRule(this.scope, 'replicaLabel', { action: RelabelAction.LABELDROP, regex: this.replicaLabel }),
      ...renderRelabelRules(this.scope, 'alertRelabelings', this.options.alertRelabelings) ?? [],
    ];
    return compact({
      global: global.rendered,
      alerting: this.alertmanagerList.length ? {
        alert_relabel_configs: alertRelabelings,
        alertmanagers: this.alertmanagerList.map(am => compact({
          api_version: 'v2',
          path_prefix: am.routePrefix === '/' ? undefined : am.routePrefix,
          static_configs: [{ targets: am.alertmanagerAddresses }],
        })),
      } : undefined,
      rule_files: [`${RULES_DIR}/*.yaml`],
      scrape_configs: jobs.map(job => withShard(renderScrapeJob(this.scope, `scrapeJobs[${job.jobName}]`, job, global.defaults), shard)),
      remote_write: this.remoteWrites.length ? this.remoteWrites.map((rw, i) => renderRemoteWrite(this.scope, `remoteWrite[${i}]`, rw)) : undefined,
      remote_read: this.remoteReads.length ? this.remoteReads.map((rr, i) => renderRemoteRead(this.scope, `remoteRead[${i}]`, rr)) : undefined,
      storage: renderStorage(this.scope, 'tsdb', this.options.tsdb, this.self.image, this.self.retention),
    });
  }

  /** The jobs of what this Prometheus scrapes: the components of its stack, itself included, and those it asked for. */
  private builtInJobs(): ScrapeJob[] {
    return this.self.metricsSources().flatMap(source => source.endpoints.map(endpoint => metricsScrapeJob(source, endpoint, this.jobName(source, endpoint))));
  }

  /**
   * The job that scrapes `endpoint`: its own name for a component of this
   * namespace, suffixed with the namespace for one scraped across namespaces
   * (names are unique within a namespace, not across them).
   */
  public jobName(source: MetricsSource, endpoint: MetricsEndpoint): string {
    return scrapeJobName(this.self.scraper, source.component, endpoint.job);
  }

  private globalConfig(shard?: ShardOf): { rendered: Record<string, unknown>; defaults: ScrapeDefaults } {
    const scrapeInterval = this.options.scrapeInterval ?? Duration.seconds(30);
    const defaults = {
      scrapeInterval,
      // As Prometheus does: 10s, but never longer than the interval.
      scrapeTimeout: this.options.scrapeTimeout
        ?? (scrapeInterval.toMilliseconds() < 10_000 ? scrapeInterval : Duration.seconds(10)),
    };
    for (const [name, value] of Object.entries(this.options.externalLabels ?? {})) {
      // Prometheus 3 expands $VAR / ${VAR} in external labels from its environment.
      if (/\$(?!\$)/.test(value.replace(/\$\$/g, ''))) {
        invalid(this.scope, `externalLabels.${name}`, `'${value}': Prometheus would expand '$' from its environment; write '$$' for a literal '$'`);
      }
    }
    if (defaults.scrapeTimeout.toMilliseconds() > defaults.scrapeInterval.toMilliseconds()) {
      invalid(this.scope, 'scrapeTimeout', `${promDuration(defaults.scrapeTimeout)} is longer than scrapeInterval (${promDuration(defaults.scrapeInterval)})`);
    }
    return {
      defaults,
      rendered: {
        scrape_interval: positiveDuration(this.scope, 'scrapeInterval', defaults.scrapeInterval),
        scrape_timeout: positiveDuration(this.scope, 'scrapeTimeout', defaults.scrapeTimeout),
        evaluation_interval: positiveDuration(this.scope, 'evaluationInterval', this.evaluationInterval),
        // Prometheus 3 expands ${VAR} in external labels: each pod labels its data with its own name.
        external_labels: {
          ...this.options.externalLabels,
          // Shards hold different series: the Querier de-duplicates replicas only, never shards.
          ...(shard ? { [shard.label]: String(shard.index) } : {}),
          [this.replicaLabel]: '${POD_NAME}',
        },
      },
    };
  }
}

/** One shard of a sharded Prometheus: its index among `count`, and its external label. @internal */
export interface ShardOf {
  readonly index: number;
  readonly count: number;
  readonly label: string;
}

// The address a target was discovered with, kept before the job's own relabeling changes it
// (a black-box probe's exporter address would send every probe to one shard).
const SHARD_ADDRESS = '__tmp_shard_address';

/**
 * A rendered job with sharding: the discovered address is kept first, and
 * last the target is kept only if its `hashmod` is this shard's index (as
 * prometheus-operator shards), so the shards scrape disjoint sets whose union is every target.
 */
function withShard(job: Record<string, unknown>, shard: ShardOf | undefined): Record<string, unknown> {
  if (!shard) return job;
  const relabelings = (job.relabel_configs as unknown[] | undefined) ?? [];
  return {
    ...job,
    relabel_configs: [
      { source_labels: ['__address__'], target_label: SHARD_ADDRESS, action: 'replace' },
      ...relabelings,
      { source_labels: [SHARD_ADDRESS], modulus: shard.count, target_label: '__tmp_hash', action: 'hashmod' },
      { source_labels: ['__tmp_hash'], regex: String(shard.index), action: 'keep' },
    ],
  };
}

/** Where the rule files are mounted. @internal */
export const RULES_DIR = '/etc/prometheus/rules';

/** YAML as the library writes it: no line folding, no aliases. @internal */
export function toYaml(value: unknown): string {
  // Stacks of one app render many equal files (the default rules); JSON is a cheap key, YAML dear to write.
  const key = JSON.stringify(value);
  let yaml = YAML_OF.get(key);
  if (yaml === undefined) {
    yaml = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
    if (YAML_OF.size >= 256) YAML_OF.clear();
    YAML_OF.set(key, yaml);
  }
  return yaml;
}

const YAML_OF = new Map<string, string>();
