import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { PROMETHEUS_SECRETS_DIR } from '../config/common/secret-file';
import { SecretMount } from '../config/common/secret-mounts';
import { ScrapeJobs } from '../config/prometheus/scrape-jobs';
import { RemoteRead, RemoteWrite } from '../config/prometheus/remote-storage';
import { ScrapeJob } from '../config/prometheus/scrape-job';
import { RuleGroup } from '../config/rules/rule-group';
import { invalid } from '../errors';
import { BlackboxModule } from '../exporters/blackbox-module';
import { addProbe, ProbeOptions } from '../exporters/probe';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { CONFIG_RELOADER_PORT } from '../pod/config-reloader';
import { ReplicatedPodOptions } from '../pod/pod-options';
import { ServiceAccountAnnotations } from '../pod/service-account';
import { bucketNeeds, secretFileNeeds } from '../prerequisites/needs';
import { WebComponent } from '../private/web-component';
import { dataClaimTemplate } from '../private/pod-template';
import { IAlertmanagerTarget, IComponent, IPushgatewayTarget, IQueryApi, IStoreApi, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { DiscoveryScope, prometheusRbac } from './discovery-scope';
import { PrometheusConfig, PrometheusConfigOptions, toYaml } from './prometheus-config';
import { PROMETHEUS_CONFIG_FILE, PROMETHEUS_RULES_FILE, PROMETHEUS_VOLUME_SIZE, prometheusPod, PrometheusPodOptions, retentionLimits } from './prometheus-pod';
import { podTargets, prometheusShards, PrometheusShardOptions } from './prometheus-shards';
import { PrometheusRules, PrometheusRulesOptions } from './prometheus-rules';
import { bindSidecarBucket, THANOS_GRPC_PORT, THANOS_HTTP_PORT } from './thanos-sidecar';

/** Props of {@link Prometheus}. */
export interface PrometheusProps extends PrometheusConfigOptions, PrometheusRulesOptions, PrometheusPodOptions, PrometheusShardOptions, ReplicatedPodOptions {
  /** @default DefaultImages.PROMETHEUS */
  readonly image?: ContainerImage;
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
   * Path prefix the UI and API are served under, e.g. `/prometheus` behind a path-based Ingress.
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * The URL users reach Prometheus at (used in links and alert generator URLs).
   * @default the URL of the MonitoringIngress that exposes it, if any
   */
  readonly externalUrl?: string;
  /** Annotations of the ServiceAccount (e.g. workload identity for the sidecar's bucket, over the bucket's own). @default the bucket's, if any */
  readonly serviceAccount?: ServiceAccountAnnotations;
}

const WEB_PORT: NamedPort = { name: 'web', port: 9090 };

/**
 * Prometheus as a StatefulSet of HA replicas, with its config watch sidecar,
 * an optional Thanos sidecar, a headless governing Service, a client Service,
 * a ServiceAccount and read-only RBAC for service discovery.
 */
export class Prometheus extends WebComponent implements IStoreApi, IQueryApi {
  /** Number of replicas of each shard. */
  public readonly replicas: number;
  /** Number of shards. */
  public readonly shards: number;
  /** The external label that differs per replica; the Thanos Querier de-duplicates on it. */
  public readonly replicaLabel: string;
  public readonly webPort = WEB_PORT;
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
  /** The ServiceAccount of the pods (token mounted: service discovery reads the API). */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The discovery RBAC: a ClusterRole and its binding, or a Role and RoleBinding per namespace. */
  public readonly discoveryRbac: ApiObject[];
  /** The ConfigMap holding `prometheus.yml` (of shard 0). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The ConfigMap of each shard's `prometheus.yml`. */
  public readonly configMaps: k8s.KubeConfigMap[];
  /** The ConfigMap holding the rule file. */
  public readonly rulesConfigMap: k8s.KubeConfigMap;
  /** The headless governing Service (web and, with the sidecar, Store API ports). */
  public readonly headlessService: k8s.KubeService;
  /** The client Service (port `web`). */
  public readonly service: k8s.KubeService;
  /** The StatefulSet (of shard 0): the default child. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The StatefulSet of each shard. */
  public readonly statefulSets: k8s.KubeStatefulSet[];

  private readonly config: PrometheusConfig;
  private readonly rules: PrometheusRules;
  private readonly image: ContainerImage;
  private readonly shardLabel: string;

  constructor(scope: Construct, id: string, props: PrometheusProps = {}) {
    super(scope, id, { app: 'prometheus', role: 'server', conventionalPath: '/prometheus' }, props);
    const { name } = this.identity;
    this.hasThanosSidecar = props.thanos?.enabled ?? true;
    if (!this.hasThanosSidecar && props.thanos?.objectStorage) {
      invalid(this, 'thanos.objectStorage', 'object storage needs the Thanos sidecar; remove it or enable the sidecar');
    }
    const retention = retentionLimits(this, props);
    const discovery = props.discovery ?? DiscoveryScope.cluster();
    this.image = props.image ?? DefaultImages.PROMETHEUS;
    [this.serviceName, this.headlessServiceName, this.serviceAccountName] = [name, `${name}-headless`, name];
    this.config = new PrometheusConfig(props, {
      scope: this,
      namespace: this.identity.namespace,
      metricsSources: () => this.graph.metricsSourcesOf(this),
      graphVersion: () => this.graph.version,
      scraper: this,
      image: this.image,
      discovery,
      retention,
    });
    this.replicaLabel = this.config.replicaLabel;
    const sharding = prometheusShards(this, name, props, this.replicaLabel);
    const { groups } = sharding;
    ({ replicas: this.replicas, shards: this.shards, shardLabel: this.shardLabel } = sharding);
    this.evaluationInterval = this.config.evaluationInterval;
    const jobs = {
      prometheus: this.metricsJob(),
      sidecar: name === 'prometheus' ? 'thanos-sidecar' : `thanos-sidecar-${name}`,
    };
    this.rules = new PrometheusRules(this, props, () => this.graph.metricsSourcesOf(this), this.config, {
      prometheusJob: jobs.prometheus,
      thanosSidecarJob: this.hasThanosSidecar ? jobs.sidecar : undefined,
      sendsAlerts: () => this.config.alertmanagers.length > 0,
    });

    this.graph.addScraper(this);
    const prefix = this.prefix;
    const podsOn = (port: NamedPort) => podTargets(sharding, this.serviceHost(this.headlessServiceName), port);
    this.serveMetrics(this.replicas * this.shards, [
      { job: jobs.prometheus, port: this.webPort, get path() { return prefix.join('/metrics'); }, staticTargets: podsOn(this.webPort) },
      ...(this.hasThanosSidecar ? [{ job: jobs.sidecar, port: THANOS_HTTP_PORT, staticTargets: podsOn(THANOS_HTTP_PORT) }] : []),
      { job: this.metricsJob('reloader'), port: CONFIG_RELOADER_PORT, staticTargets: podsOn(CONFIG_RELOADER_PORT) },
    ]);
    // Scrape targets live anywhere (pods of every namespace, nodes, the API server), and so
    // may object storage and remote-write endpoints: Prometheus' egress stays open.
    this.connectTo(NetworkPeer.anywhere(), []);
    props.alertmanagers?.forEach(am => this.addAlertmanager(am));
    props.pushgateways?.forEach(pgw => this.addPushgateway(pgw));
    if (props.annotationDiscovery ?? true) {
      this.addScrapeJob(ScrapeJobs.kubernetesPods({ namespaces: discovery.namespaces }));
      this.addScrapeJob(ScrapeJobs.kubernetesServiceEndpoints({ namespaces: discovery.namespaces }));
    }
    props.scrapeJobs?.forEach(job => this.addScrapeJob(job));
    props.ruleGroups?.forEach(group => this.addRuleGroup(group));
    props.remoteWrite?.forEach(rw => this.addRemoteWrite(rw));
    props.remoteRead?.forEach(rr => this.addRemoteRead(rr));

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name: this.serviceAccountName, labels: this.identity.labels, annotations: bindSidecarBucket(this, this.replicas, props) },
      automountServiceAccountToken: false,
    });
    this.discoveryRbac = prometheusRbac(this, this.identity, this.serviceAccountName, discovery);
    this.configMaps = groups.map((g, shard) => this.createConfigMap(shard ? `config-${g.id}` : 'config', {
      [PROMETHEUS_CONFIG_FILE]: Lazy.any({ produce: () => this.renderConfig(shard) }),
    }));
    this.configMap = this.configMaps[0];
    this.rulesConfigMap = this.createConfigMap('rules', { [PROMETHEUS_RULES_FILE]: Lazy.any({ produce: () => this.renderRules() }) });
    const sidecarPorts = this.hasThanosSidecar ? [THANOS_GRPC_PORT, THANOS_HTTP_PORT] : [];
    // One headless Service governs every shard: its SRV records are every shard's Store API.
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: [this.webPort, ...sidecarPorts] });
    this.service = this.createService({ ports: [this.webPort] });
    this.statefulSets = groups.map((g, shard) => this.createStatefulSet(this.headlessServiceName, {
      replicas: this.replicas,
      template: this.podTemplate(this.replicas, props, prometheusPod({
        scope: this,
        props,
        image: this.image,
        retention,
        serviceAccountName: this.serviceAccountName,
        configMapName: this.configMaps[shard].name,
        rulesConfigMapName: this.rulesConfigMap.name,
        webPort: this.webPort,
        routePrefix: () => this.routePrefix,
        externalUrl: () => this.externalUrl,
        secretMounts: () => this.resolvedConfig(shard).mounts,
        sidecar: this.hasThanosSidecar,
      }), this.shards > 1 ? g : undefined),
      volumeClaimTemplates: [dataClaimTemplate(this.identity, props.storage ?? {}, PROMETHEUS_VOLUME_SIZE)],
    }, this.shards > 1 ? g : undefined));
    this.statefulSet = this.statefulSets[0];
    this.requires(() => secretFileNeeds(PROMETHEUS_SECRETS_DIR, this.resolvedConfig().config, PROMETHEUS_CONFIG_FILE), ...bucketNeeds(props.thanos?.objectStorage));
    this.protect(this.replicas, this.shards > 1 ? groups : []);
  }

  /** Sends alerts to every replica of `alertmanager`. @throws if it is already added */
  public addAlertmanager(alertmanager: IAlertmanagerTarget): void {
    this.config.addAlertmanager(alertmanager);
    this.connectTo(NetworkPeer.component(alertmanager), [alertmanager.webPort]);
  }

  /** Scrapes `pushgateway` with `honor_labels: true`, wherever it lives. @throws if it is already added */
  public addPushgateway(pushgateway: IPushgatewayTarget): void {
    this.config.addPushgateway(pushgateway);
    if (this.graph.servesMetrics(pushgateway)) this.graph.scrape(this, pushgateway);
    else this.connectTo(NetworkPeer.component(pushgateway), [pushgateway.webPort]);
  }

  /**
   * Also scrapes `component`, which belongs to another stack: a Prometheus
   * scrapes the components of the scope it was created in, and only those.
   * @throws if `component` serves no metrics, or this Prometheus scrapes it already
   */
  public scrape(component: IComponent): void {
    if (!this.graph.servesMetrics(component)) invalid(this, 'scrape', `'${component.node.path}' serves no metrics`);
    if (!this.graph.scrape(this, component)) invalid(this, 'scrape', `'${component.node.path}' is scraped already (it is in this stack, or was added before)`);
  }

  /** Adds a scrape job. @throws if a job of that name exists, or the job is invalid */
  public addScrapeJob(job: ScrapeJob): void {
    this.config.addScrapeJob(job);
  }

  /**
   * Probes `targets` (URLs, `host:port` or hosts, as `module` takes them)
   * through the BlackboxExporter of this stack (or `options.exporter`): a
   * scrape job `blackbox-<module>`, the module in the exporter's config, and
   * the NetworkPolicy edges to the exporter and from it to the probed ports.
   * @throws if there is no exporter, the module is unknown or a target does not fit it
   */
  public probe(targets: string[], module: string | BlackboxModule, options: ProbeOptions = {}): void {
    addProbe(this, targets, module, options);
  }

  /**
   * Adds a rule group; every PromQL expression is parsed and type-checked now.
   * @throws if a group of that name exists, or a rule is invalid
   */
  public addRuleGroup(group: RuleGroup): void {
    this.rules.addRuleGroup(group);
  }

  /** Sends every sample to a remote storage too. @throws if it is invalid, or its name or URL is taken */
  public addRemoteWrite(remoteWrite: RemoteWrite): void {
    this.config.addRemoteWrite(remoteWrite);
  }

  /** Makes queries read from a remote storage too. @throws if it is invalid, or its name or URL is taken */
  public addRemoteRead(remoteRead: RemoteRead): void {
    this.config.addRemoteRead(remoteRead);
  }

  /** Every rule group this Prometheus evaluates: the default rules (unless disabled), then the added ones. */
  public get ruleGroups(): RuleGroup[] {
    return this.rules.ruleGroups;
  }

  /** Every Prometheus pod's Store API, discovered through the headless Service's SRV records. */
  public get storeApiAddress(): string {
    this.requireSidecar();
    return `dnssrv+_${THANOS_GRPC_PORT.name}._tcp.${this.serviceHost(this.headlessServiceName)}`;
  }

  public get storeApiPort(): NamedPort {
    this.requireSidecar();
    return THANOS_GRPC_PORT;
  }

  public readonly queryApiFlavor = 'Prometheus';
  public readonly queryPort = WEB_PORT;
  /** The query API through the client Service, under the route prefix. */
  public get queryUrl(): string {
    return `http://${this.serviceHost(this.serviceName)}:${this.webPort.port}${this.routePrefix === '/' ? '' : this.routePrefix}`;
  }

  /** The rendered `prometheus.yml` of `shard` (for tests and tools). */
  public renderConfig(shard = 0): string {
    return toYaml(this.resolvedConfig(shard).config);
  }

  /** The rendered rule file (for tests and `promtool check rules`). */
  public renderRules(): string {
    return this.rules.render();
  }

  private resolvedConfig(shard = 0): { config: Record<string, unknown>; mounts: SecretMount[] } {
    return this.config.resolved(this.shards > 1 ? { index: shard, count: this.shards, label: this.shardLabel } : undefined);
  }

  private requireSidecar(): void {
    if (!this.hasThanosSidecar) invalid(this, 'thanos.enabled', 'is false, so this Prometheus is not a Store API: enable its Thanos sidecar');
  }
}
