import { Duration, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { configReloaderContainer, ConfigReloaderOptions } from '../pod/config-reloader';
import { positiveDuration } from '../config/common/fields';
import { ScrapeJobs } from '../config/prometheus/scrape-jobs';
import { RelabelAction, RelabelRule, renderRelabelRule, renderRelabelRules } from '../config/prometheus/relabel';
import { checkRemoteList, RemoteRead, RemoteWrite, renderRemoteRead, renderRemoteWrite } from '../config/prometheus/remote-storage';
import { renderScrapeJob, ScrapeDefaults, ScrapeJob } from '../config/prometheus/scrape-job';
import { PROMETHEUS_SECRETS_DIR } from '../config/common/secret-file';
import { resolveSecretFiles, SecretMount } from '../config/common/secret-mounts';
import { checkDiscoveryScope, DiscoveryScope, prometheusRbac } from './discovery-scope';
import { needsExpandExternalLabelsFlag, renderStorage, RetentionLimits, retentionInConfigFile, TsdbConfig } from '../config/prometheus/tsdb';
import { compact, validateLabelName, validateLabels } from '../config/common/validate';
import { promDuration, promDurationProp } from '../private/durations';
import { invalid, validateCount } from '../errors';
import { ComponentIdentity, identify, serviceHost } from '../private/identity';
import { ContainerImage } from '../images/container-image';
import { healthProbes, joinPath } from '../private/probes';
import { renderResources, Resources } from '../pod/resources';
import { validateRoutePrefix } from '../private/route-prefix';
import { DEFAULT_RULE_GROUP_PREFIX, defaultRuleGroups } from '../config/rules/default-rules';
import { renderRuleGroup, RuleGroup } from '../config/rules/rule-group';
import { disruptionBudget } from '../pod/scheduling';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { dataClaimTemplate, podTemplate, ReplicatedPodOptions, StorageOptions } from '../private/pod-template';
import { restrictedContainerSecurityContext } from '../pod/security';
import { THANOS_GRPC_PORT, THANOS_HTTP_PORT, thanosSidecar, ThanosSidecarOptions } from './thanos-sidecar';
import { DefaultImages } from '../images/default-images';
import { IAlertmanagerTarget, IIngressTarget, IPushgatewayTarget, IStoreApi, NamedPort } from '../wiring/interfaces';

/** Props of {@link Prometheus}. */
export interface PrometheusProps extends ReplicatedPodOptions {
  /**
   * Base name of the Kubernetes objects.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Number of Prometheus replicas. Each scrapes everything; Thanos Query
   * de-duplicates them on the replica label.
   * @default 2
   */
  readonly replicas?: number;
  /** @default DefaultImages.PROMETHEUS */
  readonly image?: ContainerImage;
  /**
   * How long to keep data locally.
   * @default Duration.days(15)
   */
  readonly retention?: Duration;
  /**
   * Most disk the TSDB may use before the oldest blocks are deleted, whatever
   * their age. Keeps a full volume from crash-looping Prometheus.
   * @default 85% of the volume (`storage.size`)
   */
  readonly retentionSize?: Size;
  /**
   * Volume of each replica's TSDB.
   * @default 50 GiB on the default StorageClass
   */
  readonly storage?: StorageOptions;
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
   * Remote storages every sample is also sent to.
   * @default none
   */
  readonly remoteWrite?: RemoteWrite[];
  /**
   * Remote storages queries also read from.
   * @default none
   */
  readonly remoteRead?: RemoteRead[];
  /**
   * The `storage.tsdb` section of the config file (retention is the `retention` prop).
   * @default none
   */
  readonly tsdb?: TsdbConfig;
  /**
   * Add the alerting rules for the stack itself (`defaultRuleGroups()`):
   * targets down, config reloads, TSDB and rule failures, alert delivery,
   * Thanos, Alertmanager clusters, stale Pushgateway pushes.
   * @default true
   */
  readonly defaultRules?: boolean;
  /**
   * Alertmanager clusters to send alerts to.
   * @default none
   */
  readonly alertmanagers?: IAlertmanagerTarget[];
  /**
   * Pushgateways to scrape with `honor_labels: true`.
   * @default none
   */
  readonly pushgateways?: IPushgatewayTarget[];
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
   * Rule groups.
   * @default none
   */
  readonly ruleGroups?: RuleGroup[];
  /**
   * Serve the TSDB admin API (`/api/v1/admin/*`: delete series, snapshots).
   * @default false
   */
  readonly enableAdminApi?: boolean;
  /**
   * Path prefix the UI and API are served under, e.g. `/prometheus` behind a path-based Ingress.
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * The URL users reach Prometheus at (used in links and alert generator URLs).
   * @default the URL of the MonitoringIngress that exposes it, if any
   */
  readonly externalUrl?: string;
  /** The Thanos sidecar. @default enabled, without object storage */
  readonly thanos?: ThanosSidecarOptions;
  /** The config watch sidecar. @default the default reloader */
  readonly configReloader?: ConfigReloaderOptions;
  /** @default 500m/2Gi requested, 2 CPU/4Gi limit */
  readonly resources?: Resources;
  /**
   * Seconds Kubernetes waits after SIGTERM; Prometheus flushes its head block and WAL then.
   * @default 600
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Isolate the pods with a NetworkPolicy that allows exactly the connections
   * the wiring implies (see NetworkGraph), plus DNS.
   * @default true
   */
  readonly networkPolicy?: boolean;
}

export const PROMETHEUS_WEB_PORT: NamedPort = { name: 'web', port: 9090 };
const DEFAULT_VOLUME_SIZE = Size.gibibytes(50);

/** `--storage.tsdb.retention.size` in Prometheus' base-2 units (`MB` is MiB): the prop, or 85% of the volume. */
function retentionSize(scope: Construct, size: Size | undefined, volume: Size): string {
  const volumeMib = volume.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
  const mib = size ? size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) : Math.floor(volumeMib * 0.85);
  if (mib < 1) invalid(scope, 'retentionSize', 'must be at least 1 MiB');
  if (mib > volumeMib) invalid(scope, 'retentionSize', `${mib}MiB is more than the ${volumeMib}MiB volume`);
  return `${mib}MB`;
}
const CONFIG_DIR = '/etc/prometheus/config';
const RULES_DIR = '/etc/prometheus/rules';
const DATA_DIR = '/prometheus';
const CONFIG_FILE = 'prometheus.yml';
const RULES_FILE = 'rules.yaml';
const PROMETHEUS_JOB = 'prometheus';
const THANOS_SIDECAR_JOB = 'thanos-sidecar';
// Static targets are per-pod DNS names (`<pod>.<headless service>…`): label series with the pod,
// which a Prometheus and its sidecar share (the default Thanos rules join on it).
const POD_FROM_ADDRESS: RelabelRule = { sourceLabels: ['__address__'], regex: '([^.:]+)[.:].*', targetLabel: 'pod' };

function alertmanagerJob(am: IAlertmanagerTarget): string {
  return `alertmanager-${am.identity.name}`;
}

/**
 * Prometheus as a StatefulSet of HA replicas, with its config watch sidecar,
 * an optional Thanos sidecar, a headless governing Service, a client Service,
 * a ServiceAccount and read-only RBAC for service discovery.
 */
export class Prometheus extends Construct implements IStoreApi, IIngressTarget {
  public readonly identity: ComponentIdentity;
  /** Number of replicas. */
  public readonly replicas: number;
  /** The external label that differs per replica; give it to the Thanos Querier. */
  public readonly replicaLabel: string;
  public readonly routePrefix: string;
  public readonly webPort = PROMETHEUS_WEB_PORT;
  /** Name of the client Service (port `web`). */
  public readonly serviceName: string;
  /** Name of the headless governing Service (per-pod DNS, Store API SRV records). */
  public readonly headlessServiceName: string;
  /** Name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** Whether the Thanos sidecar runs next to Prometheus. */
  public readonly hasThanosSidecar: boolean;
  /** How often rules are evaluated (the evaluation interval of rule tests). */
  public readonly evaluationInterval: Duration;
  public readonly statefulSet: k8s.KubeStatefulSet;

  private readonly props: PrometheusProps;
  private readonly alertmanagers: IAlertmanagerTarget[] = [];
  private readonly pushgateways: IPushgatewayTarget[] = [];
  private readonly scrapeJobs: ScrapeJob[] = [];
  private readonly userRuleGroups: RuleGroup[] = [];
  private readonly remoteWrites: RemoteWrite[] = [];
  private readonly remoteReads: RemoteRead[] = [];
  private readonly retention: RetentionLimits;
  private readonly discovery: DiscoveryScope;
  private readonly image: ContainerImage;
  private externalUrl?: string;

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(scope, id);
    this.props = props;
    this.externalUrl = props.externalUrl;
    this.identity = identify(this, 'prometheus', 'server', props.name);
    const { name, labels, selectorLabels } = this.identity;
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.replicaLabel = validateLabelName(this, 'replicaLabel', props.replicaLabel ?? 'replica');
    validateLabels(this, 'externalLabels', props.externalLabels);
    if (props.externalLabels?.[this.replicaLabel] !== undefined) {
      invalid(this, 'externalLabels', `'${this.replicaLabel}' is the replica label, set per pod; choose another name or change replicaLabel`);
    }
    this.routePrefix = validateRoutePrefix(this, 'routePrefix', props.routePrefix);
    this.hasThanosSidecar = props.thanos?.enabled ?? true;
    if (!this.hasThanosSidecar && props.thanos?.objectStorage) {
      invalid(this, 'thanos.objectStorage', 'object storage needs the Thanos sidecar; remove it or enable the sidecar');
    }
    const retention = {
      time: promDurationProp(this, 'retention', props.retention ?? Duration.days(15)),
      size: retentionSize(this, props.retentionSize, props.storage?.size ?? DEFAULT_VOLUME_SIZE),
    };
    this.retention = retention;
    this.discovery = props.discovery ?? DiscoveryScope.cluster();
    this.image = props.image ?? DefaultImages.PROMETHEUS;
    this.evaluationInterval = props.evaluationInterval ?? Duration.seconds(30);
    // Fail at the line that set a bad interval, not later during synth.
    this.globalConfig();
    this.serviceName = name;
    this.headlessServiceName = `${name}-headless`;
    this.serviceAccountName = name;

    const graph = NetworkGraph.of(this);
    graph.addScraper(this);
    graph.serveMetrics(this, this.hasThanosSidecar ? [this.webPort, THANOS_HTTP_PORT] : [this.webPort]);
    // Scrape targets live anywhere (pods of every namespace, nodes, the API server), and so
    // may object storage and remote-write endpoints: Prometheus' egress stays open.
    graph.connect(NetworkPeer.component(this), NetworkPeer.anywhere(), []);
    props.alertmanagers?.forEach(am => this.addAlertmanager(am));
    props.pushgateways?.forEach(pgw => this.addPushgateway(pgw));
    if (props.annotationDiscovery ?? true) {
      const namespaces = this.discovery.namespaces;
      this.addScrapeJob(ScrapeJobs.kubernetesPods({ namespaces }));
      this.addScrapeJob(ScrapeJobs.kubernetesServiceEndpoints({ namespaces }));
    }
    props.scrapeJobs?.forEach(job => this.addScrapeJob(job));
    props.ruleGroups?.forEach(group => this.addRuleGroup(group));
    props.remoteWrite?.forEach(rw => this.addRemoteWrite(rw));
    props.remoteRead?.forEach(rr => this.addRemoteRead(rr));
    // Checked now, even while no Alertmanager is wired yet (they only render with one).
    renderRelabelRules(this, 'alertRelabelings', props.alertRelabelings);

    this.createRbac();
    const configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, labels },
      data: { [CONFIG_FILE]: Lazy.any({ produce: () => this.renderConfig() }) },
    });
    const rulesMap = new k8s.KubeConfigMap(this, 'rules', {
      metadata: { name: `${name}-rules`, labels },
      data: { [RULES_FILE]: Lazy.any({ produce: () => this.renderRules() }) },
    });
    this.createServices();

    const dataMount = { name: 'data', mountPath: DATA_DIR };
    const configMounts = [
      { name: 'config', mountPath: CONFIG_DIR },
      { name: 'rules', mountPath: RULES_DIR },
    ];
    const localUrl = `http://127.0.0.1:${this.webPort.port}${this.routePrefix === '/' ? '' : this.routePrefix}`;
    const sidecar = this.hasThanosSidecar ? thanosSidecar(props.thanos ?? {}, localUrl, dataMount) : undefined;
    const shipsBlocks = !!props.thanos?.objectStorage;

    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name, labels },
      spec: {
        serviceName: this.headlessServiceName,
        replicas: this.replicas,
        // Replicas are independent copies: start and replace them in parallel.
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selectorLabels },
        template: podTemplate(this, this.identity, this.replicas, props, {
          serviceAccountName: this.serviceAccountName,
          terminationGracePeriodSeconds: (props.terminationGracePeriod ?? Duration.seconds(600)).toSeconds(),
          containers: [
            {
              name: 'prometheus',
              image: this.image.reference,
              imagePullPolicy: 'IfNotPresent',
              args: Lazy.any({ produce: () => this.renderArgs(retention, shipsBlocks) }),
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              ports: [{ name: this.webPort.name, containerPort: this.webPort.port }],
              resources: renderResources(props.resources, {
                cpu: { request: '500m', limit: '2' },
                memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) },
              }),
              volumeMounts: Lazy.any({ produce: () => [
                ...configMounts.map(m => ({ ...m, readOnly: true })),
                dataMount,
                // Secrets the config's *_file fields refer to.
                ...this.secretMounts().map(m => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: true })),
              ] }),
              ...healthProbes(this.webPort.name, this.routePrefix),
              // WAL replay after a crash can take minutes; do not kill it meanwhile.
              startupProbe: {
                httpGet: { path: joinPath(this.routePrefix, '/-/ready'), port: k8s.IntOrString.fromString(this.webPort.name) },
                periodSeconds: 15,
                failureThreshold: 60,
              },
              securityContext: restrictedContainerSecurityContext(),
            },
            configReloaderContainer(
              props.configReloader ?? {},
              `http://127.0.0.1:${this.webPort.port}${joinPath(this.routePrefix, '/-/reload')}`,
              configMounts,
            ),
            ...(sidecar ? [sidecar.container] : []),
          ],
          volumes: Lazy.any({ produce: () => [
            { name: 'config', configMap: { name: configMap.name } },
            { name: 'rules', configMap: { name: rulesMap.name } },
            ...(sidecar?.volumes ?? []),
            ...this.secretMounts().map(m => ({ name: m.volumeName, secret: { secretName: m.secretName } })),
          ] }),
        }),
        volumeClaimTemplates: [dataClaimTemplate(this.identity, props.storage ?? {}, DEFAULT_VOLUME_SIZE)],
      },
    });
    disruptionBudget(this, name, selectorLabels, labels, this.replicas);
    if (props.networkPolicy ?? true) componentNetworkPolicy(this, this);
  }

  /** Sends alerts to every replica of `alertmanager`. @throws if it is already added */
  public addAlertmanager(alertmanager: IAlertmanagerTarget): void {
    if (this.alertmanagers.includes(alertmanager)) {
      invalid(this, 'alertmanagers', `'${alertmanager.node.path}' is already added`);
    }
    this.alertmanagers.push(alertmanager);
    NetworkGraph.of(this).connect(NetworkPeer.component(this), NetworkPeer.component(alertmanager), [alertmanager.webPort]);
  }

  /** Scrapes `pushgateway` with `honor_labels: true`. @throws if it is already added */
  public addPushgateway(pushgateway: IPushgatewayTarget): void {
    if (this.pushgateways.includes(pushgateway)) {
      invalid(this, 'pushgateways', `'${pushgateway.node.path}' is already added`);
    }
    this.pushgateways.push(pushgateway);
    NetworkGraph.of(this).connect(NetworkPeer.component(this), NetworkPeer.component(pushgateway), [pushgateway.webPort]);
  }

  /** Adds a scrape job. @throws if a job of that name exists, or the job is invalid */
  public addScrapeJob(job: ScrapeJob): void {
    const builtIn = this.builtInJobs().map(j => j.jobName);
    if (this.scrapeJobs.some(j => j.jobName === job.jobName) || builtIn.includes(job.jobName)) {
      invalid(this, 'scrapeJobs', `a job named '${job.jobName}' already exists (built-in jobs: ${builtIn.join(', ')})`);
    }
    renderScrapeJob(this, `scrapeJobs[${job.jobName}]`, job);
    this.scrapeJobs.push(job);
  }

  /**
   * Adds a rule group; every PromQL expression is parsed and type-checked now.
   * @throws if a group of that name exists, or a rule is invalid
   */
  public addRuleGroup(group: RuleGroup): void {
    if (this.userRuleGroups.some(g => g.name === group.name)) {
      invalid(this, 'ruleGroups', `a group named '${group.name}' already exists`);
    }
    if (group.name.startsWith(DEFAULT_RULE_GROUP_PREFIX) && (this.props.defaultRules ?? true)) {
      invalid(this, 'ruleGroups', `'${group.name}': names starting with '${DEFAULT_RULE_GROUP_PREFIX}' are the default rules'; rename it, or set defaultRules: false`);
    }
    renderRuleGroup(this, `ruleGroups[${group.name}]`, group);
    this.userRuleGroups.push(group);
  }

  /** Sends every sample to a remote storage too. @throws if it is invalid, or its name or URL is taken */
  public addRemoteWrite(remoteWrite: RemoteWrite): void {
    const field = `remoteWrite[${this.remoteWrites.length}]`;
    renderRemoteWrite(this, field, remoteWrite);
    checkRemoteList(this, 'remoteWrite', [...this.remoteWrites, remoteWrite]);
    this.remoteWrites.push(remoteWrite);
  }

  /** Makes queries read from a remote storage too. @throws if it is invalid, or its name or URL is taken */
  public addRemoteRead(remoteRead: RemoteRead): void {
    const field = `remoteRead[${this.remoteReads.length}]`;
    renderRemoteRead(this, field, remoteRead);
    checkRemoteList(this, 'remoteRead', [...this.remoteReads, remoteRead]);
    this.remoteReads.push(remoteRead);
  }

  /** Every rule group this Prometheus evaluates: the default rules (unless disabled), then the added ones. */
  public get ruleGroups(): RuleGroup[] {
    if (!(this.props.defaultRules ?? true)) return [...this.userRuleGroups];
    const defaults = defaultRuleGroups({
      prometheusJob: PROMETHEUS_JOB,
      thanosSidecarJob: this.hasThanosSidecar ? THANOS_SIDECAR_JOB : undefined,
      alertmanagers: this.alertmanagers.map(am => ({ job: alertmanagerJob(am), replicas: am.alertmanagerAddresses.length })),
      pushgateways: this.pushgateways.length > 0,
    });
    return [...defaults, ...this.userRuleGroups];
  }

  /** Every Prometheus pod's Store API, discovered through the headless Service's SRV records. */
  public get storeApiAddress(): string {
    this.requireSidecar();
    return `dnssrv+_${THANOS_GRPC_PORT.name}._tcp.${serviceHost(this.headlessServiceName, this.identity.namespace)}`;
  }

  public get storeApiPort(): NamedPort {
    this.requireSidecar();
    return THANOS_GRPC_PORT;
  }

  /**
   * Called by an Ingress that exposes this Prometheus, so UI links and alert
   * generator URLs point at the public URL, unless `externalUrl` was given.
   */
  public exposedAt(url: string): void {
    this.externalUrl ??= url;
  }

  /** The rendered `prometheus.yml` (for tests and tools). */
  public renderConfig(): string {
    return stringify(resolveSecretFiles(this, this.configObject(), PROMETHEUS_SECRETS_DIR).config, { lineWidth: 0, aliasDuplicateObjects: false });
  }

  /** The rendered rule file (for tests and `promtool check rules`). */
  public renderRules(): string {
    return stringify({ groups: this.ruleGroups.map(g => renderRuleGroup(this, `ruleGroups[${g.name}]`, g)) }, { lineWidth: 0, aliasDuplicateObjects: false });
  }

  /** The jobs Prometheus always has: itself, its sidecar, and the Alertmanagers and Pushgateways it is wired to. */
  private builtInJobs(): ScrapeJob[] {
    const { name, namespace } = this.identity;
    const self = Array.from({ length: this.replicas }, (_, i) =>
      `${name}-${i}.${serviceHost(this.headlessServiceName, namespace)}`);
    return [
      {
        jobName: PROMETHEUS_JOB,
        metricsPath: joinPath(this.routePrefix, '/metrics'),
        staticTargets: self.map(host => `${host}:${this.webPort.port}`),
        relabelings: [POD_FROM_ADDRESS],
      },
      ...(this.hasThanosSidecar ? [{
        jobName: THANOS_SIDECAR_JOB,
        staticTargets: self.map(host => `${host}:${THANOS_HTTP_PORT.port}`),
        relabelings: [POD_FROM_ADDRESS],
      }] : []),
      ...this.alertmanagers.map(am => ({
        jobName: alertmanagerJob(am),
        metricsPath: joinPath(am.routePrefix, '/metrics'),
        staticTargets: am.alertmanagerAddresses,
        relabelings: [POD_FROM_ADDRESS],
      })),
      ...this.pushgateways.map(pgw => ({
        jobName: `pushgateway-${pgw.identity.name}`,
        honorLabels: true,
        metricsPath: joinPath(pgw.routePrefix, '/metrics'),
        staticTargets: [pgw.pushgatewayAddress],
      })),
    ];
  }

  private globalConfig(): { rendered: Record<string, unknown>; defaults: ScrapeDefaults } {
    const scrapeInterval = this.props.scrapeInterval ?? Duration.seconds(30);
    const defaults = {
      scrapeInterval,
      // As Prometheus does: 10s, but never longer than the interval.
      scrapeTimeout: this.props.scrapeTimeout
        ?? (scrapeInterval.toMilliseconds() < 10_000 ? scrapeInterval : Duration.seconds(10)),
    };
    for (const [name, value] of Object.entries(this.props.externalLabels ?? {})) {
      // Prometheus 3 expands $VAR / ${VAR} in external labels from its environment.
      if (/\$(?!\$)/.test(value.replace(/\$\$/g, ''))) {
        invalid(this, `externalLabels.${name}`, `'${value}': Prometheus would expand '$' from its environment; write '$$' for a literal '$'`);
      }
    }
    if (defaults.scrapeTimeout.toMilliseconds() > defaults.scrapeInterval.toMilliseconds()) {
      invalid(this, 'scrapeTimeout', `${promDuration(defaults.scrapeTimeout)} is longer than scrapeInterval (${promDuration(defaults.scrapeInterval)})`);
    }
    return {
      defaults,
      rendered: {
        scrape_interval: positiveDuration(this, 'scrapeInterval', defaults.scrapeInterval),
        scrape_timeout: positiveDuration(this, 'scrapeTimeout', defaults.scrapeTimeout),
        evaluation_interval: positiveDuration(this, 'evaluationInterval', this.evaluationInterval),
        // Prometheus 3 expands ${VAR} in external labels: each pod labels its data with its own name.
        external_labels: { ...this.props.externalLabels, [this.replicaLabel]: '${POD_NAME}' },
      },
    };
  }

  private configObject(): Record<string, unknown> {
    const global = this.globalConfig();
    const jobs = [...this.builtInJobs(), ...this.scrapeJobs];
    checkDiscoveryScope(this, this.identity.namespace, jobs, this.discovery);
    const seen = new Set<string>();
    for (const job of jobs) {
      if (seen.has(job.jobName)) {
        invalid(this, 'scrapeJobs', `a job named '${job.jobName}' already exists (built-in jobs: ${this.builtInJobs().map(j => j.jobName).join(', ')})`);
      }
      seen.add(job.jobName);
    }
    // The replicas send the same alerts; without their replica label, the Alertmanager cluster sees one alert, not one per replica.
    const alertRelabelings = [
      renderRelabelRule(this, 'replicaLabel', { action: RelabelAction.LABELDROP, regex: this.replicaLabel }),
      ...renderRelabelRules(this, 'alertRelabelings', this.props.alertRelabelings) ?? [],
    ];
    return compact({
      global: global.rendered,
      alerting: this.alertmanagers.length ? {
        alert_relabel_configs: alertRelabelings,
        alertmanagers: this.alertmanagers.map(am => compact({
          api_version: 'v2',
          path_prefix: am.routePrefix === '/' ? undefined : am.routePrefix,
          static_configs: [{ targets: am.alertmanagerAddresses }],
        })),
      } : undefined,
      rule_files: [`${RULES_DIR}/*.yaml`],
      scrape_configs: jobs.map(job => renderScrapeJob(this, `scrapeJobs[${job.jobName}]`, job, global.defaults)),
      remote_write: this.remoteWrites.length ? this.remoteWrites.map((rw, i) => renderRemoteWrite(this, `remoteWrite[${i}]`, rw)) : undefined,
      remote_read: this.remoteReads.length ? this.remoteReads.map((rr, i) => renderRemoteRead(this, `remoteRead[${i}]`, rr)) : undefined,
      storage: renderStorage(this, 'tsdb', this.props.tsdb, this.image, this.retention),
    });
  }

  /** The Secrets the config's SecretFile values name, mounted into the Prometheus container. */
  private secretMounts(): SecretMount[] {
    return resolveSecretFiles(this, this.configObject(), PROMETHEUS_SECRETS_DIR).mounts;
  }

  private renderArgs(retention: RetentionLimits, shipsBlocks: boolean): string[] {
    return [
      `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
      `--storage.tsdb.path=${DATA_DIR}`,
      // Each flag only where the image's Prometheus version understands it.
      ...(retentionInConfigFile(this.image) ? [] : [
        `--storage.tsdb.retention.time=${retention.time}`,
        `--storage.tsdb.retention.size=${retention.size}`,
      ]),
      ...(needsExpandExternalLabelsFlag(this.image) ? ['--enable-feature=expand-external-labels'] : []),
      `--web.listen-address=:${this.webPort.port}`,
      // Needed by the config watch sidecar's POST /-/reload.
      '--web.enable-lifecycle',
      `--web.route-prefix=${this.routePrefix}`,
      ...(this.externalUrl ? [`--web.external-url=${this.externalUrl}`] : []),
      ...(this.props.enableAdminApi ? ['--web.enable-admin-api'] : []),
      // The sidecar uploads each block once; local compaction would make it upload overlapping blocks.
      ...(shipsBlocks ? ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h'] : []),
    ];
  }

  private createRbac(): void {
    const { labels } = this.identity;
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.serviceAccountName, labels },
      automountServiceAccountToken: false,
    });
    prometheusRbac(this, this.identity, this.serviceAccountName, this.discovery);
  }

  private createServices(): void {
    const { labels, selectorLabels } = this.identity;
    const ports = [
      { name: this.webPort.name, port: this.webPort.port, targetPort: k8s.IntOrString.fromString(this.webPort.name) },
      ...(this.hasThanosSidecar ? [THANOS_GRPC_PORT, THANOS_HTTP_PORT].map(p => ({
        name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name),
      })) : []),
    ];
    new k8s.KubeService(this, 'headless-service', {
      metadata: { name: this.headlessServiceName, labels },
      spec: { clusterIp: 'None', selector: selectorLabels, ports },
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: this.serviceName, labels },
      spec: { selector: selectorLabels, ports: [ports[0]] },
    });
  }

  private requireSidecar(): void {
    if (!this.hasThanosSidecar) {
      throw new Error(`${this.node.path}: is not a Store API: its Thanos sidecar is disabled (thanos.enabled: false)`);
    }
  }

}
