import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { httpUrl } from '../config/common/fields';
import { validateLabelName, validateLabels } from '../config/common/validate';
import { renderRuleGroup, RuleGroup } from '../config/rules/rule-group';
import { invalid, validateCount } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, supportedVersion } from '../images/versions/support';
import { CONFIG_RELOADER_PORT, ConfigReloaderOptions } from '../pod/config-reloader';
import { ReplicatedPodOptions, StorageOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { THANOS_USER } from '../pod/security';
import { bucketNeeds } from '../prerequisites/needs';
import { componentServiceAccount, ServiceAccountOptions } from '../pod/service-account';
import { Component } from '../private/component';
import { goDurationProp, promDurationProp } from '../private/durations';
import { dataClaimTemplate } from '../private/pod-template';
import { toYaml } from '../prometheus/prometheus-config';
import { IAlertmanagerTarget, IIngressTarget, IQueryApi, IStoreApi } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { ObjectStorage } from './object-storage';
import {
  configChecksum, queryEndpoint, renderAlertmanagersConfig, renderQueryConfig, RULER_ALERTMANAGERS_FILE, RULER_QUERY_FILE,
} from './ruler/ruler-config';
import { RULER_GRPC_PORT, RULER_HTTP_PORT, RULER_RULES_FILE, rulerPod } from './ruler/ruler-pod';

/** Props of {@link ThanosRuler}. */
export interface ThanosRulerProps extends ReplicatedPodOptions {
  /**
   * The query APIs rules are evaluated against (ThanosQuerier, Query
   * Frontend…); each evaluation asks one of them. At least one is needed,
   * here or with `addQuerier()`.
   */
  readonly queriers: IQueryApi[];
  /**
   * Alertmanager clusters to send alerts to: every replica of each.
   * @default none
   */
  readonly alertmanagers?: IAlertmanagerTarget[];
  /**
   * Rule groups; at least one is needed, here or with `addRuleGroup()`.
   * @default none
   */
  readonly ruleGroups?: RuleGroup[];
  /**
   * Replicas. Each evaluates every rule; the Alertmanager cluster
   * de-duplicates their alerts (the replica label is dropped from alerts) and
   * the Querier their series (on the replica label).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Name of the label that holds the pod name, distinct per replica, on every
   * series the Ruler writes.
   * @default 'replica'
   */
  readonly replicaLabel?: string;
  /**
   * Labels on every series and alert of the Ruler, which tell its data apart
   * from the Prometheus instances' (e.g. in the bucket).
   * @default { ruler_cluster: <name> }
   */
  readonly externalLabels?: Record<string, string>;
  /**
   * How often rules are evaluated (groups may set their own interval).
   * @default Duration.minutes(1)
   */
  readonly evaluationInterval?: Duration;
  /**
   * How long the local TSDB keeps the Ruler's series.
   * @default Duration.hours(48)
   */
  readonly retention?: Duration;
  /**
   * Upload the Ruler's TSDB blocks to object storage, so the store gateway
   * serves recorded series beyond `retention`.
   * @default no upload
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * The ServiceAccount the pods run as, for the bucket's workload identity.
   * The pods still get no Kubernetes API token.
   * @default one named like the component when the bucket's credentials need it, else none
   */
  readonly serviceAccount?: ServiceAccountOptions;
  /**
   * The URL of alerts' "Source" links (`--alert.query-url`): a Thanos query UI.
   * @default the public URL of the first querier if an Ingress exposes it, else its in-cluster URL
   */
  readonly alertQueryUrl?: string;
  /** The TSDB volume of each replica. @default 10 GiB on the default StorageClass */
  readonly storage?: StorageOptions;
  /** The Thanos image; its release decides which flags are rendered and checked. @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /** The sidecar that reloads the Ruler when its rules change. @default DefaultImages.CONFIG_RELOADER */
  readonly configReloader?: ConfigReloaderOptions;
  /** Log level (`--log.level`). @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Requests and limits of the Ruler container. @default 100m/256Mi requested, 1 CPU/1Gi limit */
  readonly resources?: Resources;
}

/**
 * Thanos Ruler: a StatefulSet that evaluates recording and alerting rules
 * against Thanos Queriers rather than one Prometheus, so its rules see the
 * data of every Prometheus shard, cluster and the bucket at once. It is the
 * place for alerts and recordings that span shards or clusters (a global
 * error ratio, a sum over every cluster); rules on one Prometheus' own
 * targets belong in that Prometheus, which keeps evaluating them when the
 * query layer is down.
 *
 * It writes its results into a local TSDB, serves them to Queriers over the
 * Store API (add it as a store: `querier.addStore(ruler)`), optionally uploads
 * its blocks to object storage, and sends alerts to every replica of its
 * Alertmanagers. Its stack's Prometheus scrapes it.
 */
export class ThanosRuler extends Component implements IStoreApi {
  public readonly replicas: number;
  /** The label that differs per replica; Queriers de-duplicate on it. */
  public readonly replicaLabel: string;
  public readonly storeApiPort = RULER_GRPC_PORT;
  /** How often rules are evaluated (the evaluation interval of rule tests). */
  public readonly evaluationInterval: Duration;
  /** Name of the headless governing Service (ports `grpc`, `http`). */
  public readonly headlessServiceName: string;
  /** Name of the ServiceAccount the pods run as, when they have one of their own. */
  public readonly serviceAccountName?: string;
  /** The ServiceAccount the pods run as, when the component creates it. */
  public readonly serviceAccount?: k8s.KubeServiceAccount;
  /** The ConfigMap holding the rule file. */
  public readonly rulesConfigMap: k8s.KubeConfigMap;
  /** The ConfigMap holding the query and Alertmanager configs. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless governing Service. */
  public readonly headlessService: k8s.KubeService;
  /** The StatefulSet: the default child. */
  public readonly statefulSet: k8s.KubeStatefulSet;

  private readonly queriers: IQueryApi[] = [];
  private readonly alertmanagerList: IAlertmanagerTarget[] = [];
  private readonly groups: RuleGroup[] = [];
  private readonly explicitAlertQueryUrl?: string;

  constructor(scope: Construct, id: string, props: ThanosRulerProps) {
    super(scope, id, { app: 'thanos-rule', role: 'rule-evaluation-engine' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.replicaLabel = validateLabelName(this, 'replicaLabel', props.replicaLabel ?? 'replica');
    const externalLabels = validateLabels(this, 'externalLabels', props.externalLabels) ?? { ruler_cluster: this.identity.name };
    if (externalLabels[this.replicaLabel] !== undefined) {
      invalid(this, 'externalLabels', `'${this.replicaLabel}' is the replica label, set per pod; choose another name or change replicaLabel`);
    }
    this.evaluationInterval = props.evaluationInterval ?? Duration.minutes(1);
    const evalInterval = goDurationProp(this, 'evaluationInterval', this.evaluationInterval);
    if (evalInterval === '0s') invalid(this, 'evaluationInterval', 'must be longer than zero');
    const retention = promDurationProp(this, 'retention', props.retention ?? Duration.hours(48));
    if (props.alertQueryUrl !== undefined) this.explicitAlertQueryUrl = httpUrl(this, 'alertQueryUrl', props.alertQueryUrl);
    this.headlessServiceName = `${this.identity.name}-headless`;
    const image = props.image ?? DefaultImages.THANOS;
    const version = supportedVersion(this, 'image', image, BINARIES.thanos);

    props.queriers?.forEach(q => this.addQuerier(q));
    props.alertmanagers?.forEach(am => this.addAlertmanager(am));
    props.ruleGroups?.forEach(g => this.addRuleGroup(g));
    // Fail synth rather than render a Ruler that cannot evaluate anything.
    this.node.addValidation({
      validate: () => [
        ...(this.queriers.length ? [] : [`${this.node.path}: invalid 'queriers': a ThanosRuler needs at least one query API to evaluate its rules against (props.queriers or addQuerier())`]),
        ...(this.groups.length ? [] : [`${this.node.path}: invalid 'ruleGroups': a ThanosRuler without rule groups evaluates nothing (props.ruleGroups or addRuleGroup())`]),
      ],
    });

    const bucket = props.objectStorage?.bind(this, 'objectStorage', this.replicas);
    this.requires(...bucketNeeds(props.objectStorage));
    const annotations = bucket?.serviceAccountAnnotations ?? {};
    const identity = props.serviceAccount !== undefined || Object.keys(annotations).length
      ? componentServiceAccount(this, this.identity, props.serviceAccount ?? {}, annotations) : undefined;
    this.serviceAccountName = identity?.name;
    this.serviceAccount = identity?.serviceAccount;
    if (bucket?.egressPorts.length) this.connectTo(NetworkPeer.anywhere(), bucket.egressPorts);

    this.rulesConfigMap = this.createConfigMap('rules', { [RULER_RULES_FILE]: Lazy.any({ produce: () => this.renderRules() }) });
    this.configMap = this.createConfigMap('config', {
      [RULER_QUERY_FILE]: Lazy.any({ produce: () => this.renderQueryConfig() }),
      [RULER_ALERTMANAGERS_FILE]: Lazy.any({ produce: () => this.renderAlertmanagersConfig() }),
    });
    this.headlessService = this.createHeadlessService(this.headlessServiceName, { ports: [RULER_GRPC_PORT, RULER_HTTP_PORT] });

    const template = this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? THANOS_USER }, rulerPod({
      scope: this, props, image, version, retention, evalInterval, replicaLabel: this.replicaLabel, externalLabels, bucket,
      rulesConfigMap: this.rulesConfigMap.name, configMap: this.configMap.name,
      hasAlertmanagers: () => this.alertmanagerList.length > 0, alertQueryUrl: () => this.alertQueryUrl,
    }));
    this.statefulSet = this.createStatefulSet(this.headlessServiceName, {
      replicas: this.replicas,
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          // The query and Alertmanager configs are read at start only: a change must roll the pods.
          annotations: { 'checksum/config': Lazy.any({ produce: () => configChecksum(this.renderQueryConfig(), this.renderAlertmanagersConfig()) }) },
        },
        // The pods run as their ServiceAccount for its cloud identity only: no API token (see BucketComponent).
        spec: identity ? { ...template.spec!, serviceAccountName: identity.name } : template.spec,
      },
      volumeClaimTemplates: [dataClaimTemplate(this.identity, props.storage ?? {}, Size.gibibytes(10))],
    });
    this.serveMetrics(this.replicas, [
      this.podMetrics(this.headlessServiceName, this.replicas, RULER_HTTP_PORT),
      this.podMetrics(this.headlessServiceName, this.replicas, CONFIG_RELOADER_PORT, { job: this.metricsJob('reloader') }),
    ]);
    this.protect(this.replicas);
  }

  /** Evaluates rules against `querier` too. @throws if it is already added */
  public addQuerier(querier: IQueryApi): void {
    if (this.queriers.includes(querier)) invalid(this, 'queriers', `'${querier.node.path}' is already added`);
    queryEndpoint(this, 'queriers', querier);
    this.queriers.push(querier);
    this.connectTo(NetworkPeer.component(querier), [querier.queryPort]);
  }

  /** Sends alerts to every replica of `alertmanager`. @throws if it is already added */
  public addAlertmanager(alertmanager: IAlertmanagerTarget): void {
    if (this.alertmanagerList.includes(alertmanager)) invalid(this, 'alertmanagers', `'${alertmanager.node.path}' is already added`);
    this.alertmanagerList.push(alertmanager);
    this.connectTo(NetworkPeer.component(alertmanager), [alertmanager.webPort]);
  }

  /**
   * Adds a rule group; every PromQL expression is parsed and type-checked now.
   * @throws if a group of that name exists, or a rule is invalid
   */
  public addRuleGroup(group: RuleGroup): void {
    if (this.groups.some(g => g.name === group.name)) invalid(this, 'ruleGroups', `a group named '${group.name}' already exists`);
    renderRuleGroup(this, `ruleGroups[${group.name}]`, group);
    this.groups.push(group);
  }

  /** The rule groups this Ruler evaluates. */
  public get ruleGroups(): RuleGroup[] {
    return [...this.groups];
  }

  /** The query APIs rules are evaluated against. */
  public get queryApis(): IQueryApi[] {
    return [...this.queriers];
  }

  /** The Alertmanager clusters alerts go to. */
  public get alertmanagers(): IAlertmanagerTarget[] {
    return [...this.alertmanagerList];
  }

  /** Every Ruler pod's Store API, discovered through the headless Service's SRV records. */
  public get storeApiAddress(): string {
    return `dnssrv+_${RULER_GRPC_PORT.name}._tcp.${this.serviceHost(this.headlessServiceName)}`;
  }

  /** `--alert.query-url`: the explicit one, else the first querier's public URL, else its in-cluster one. */
  public get alertQueryUrl(): string {
    if (this.explicitAlertQueryUrl) return this.explicitAlertQueryUrl;
    const first = this.queriers[0] as (IQueryApi & Partial<IIngressTarget>) | undefined;
    return first?.externalUrl ?? first?.queryUrl ?? '';
  }

  /** The rendered rule file (for tests and `promtool check rules`): the Prometheus rule file format. */
  public renderRules(): string {
    return toYaml({ groups: this.groups.map(g => renderRuleGroup(this, `ruleGroups[${g.name}]`, g)) });
  }

  /** The rendered `--query.config-file`. */
  public renderQueryConfig(): string {
    return renderQueryConfig(this, 'queriers', this.queriers);
  }

  /** The rendered `--alertmanagers.config-file`. */
  public renderAlertmanagersConfig(): string {
    return renderAlertmanagersConfig(this.alertmanagerList);
  }
}
