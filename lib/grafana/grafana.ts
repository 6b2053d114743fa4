import { JsonPatch, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { requiredSecretFile, secretFileField } from '../config/common/secret-mounts';
import { SecretFile } from '../config/common/secret-file';
import { PrerequisiteKind } from '../prerequisites/prerequisites';
import { invalid, validateCount, validateDnsLabel, validatePort } from '../errors';
import { ContainerImage } from '../images/container-image';
import { ReplicatedPodOptions, StorageOptions } from '../pod/pod-options';
import { Resources, storageQuantity } from '../pod/resources';
import { WebComponent } from '../private/web-component';
import { IQueryApi } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { GrafanaDashboard, GrafanaDashboards } from './dashboards';
import { GrafanaAdminCredentials, GrafanaDatabase, parseDashboard, trimUrl, validateSecretKey, validateSecretName, validateUrl } from './grafana-options';
import { GRAFANA_HTTP_PORT, GRAFANA_USER, grafanaPod, grafanaSecretSettings } from './grafana-pod';
import { datasourceUid, renderDashboardProviders, renderDatasources } from './provisioning';

/** Props of {@link Grafana}. */
export interface GrafanaProps extends ReplicatedPodOptions {
  /** The admin login, from an existing Secret: never a literal. */
  readonly adminCredentials: GrafanaAdminCredentials;
  /**
   * Query APIs to provision as Prometheus datasources (a Thanos Querier, a
   * Prometheus), the first the default; more with `addDatasource()`. Grafana's
   * NetworkPolicy allows egress to exactly these.
   * @default none
   */
  readonly datasources?: IQueryApi[];
  /**
   * Dashboards to provision; more with `addDashboard()`.
   * @default GrafanaDashboards.stack(): the dashboards of the stack's daemons
   */
  readonly dashboards?: GrafanaDashboard[];
  /**
   * Folder the provisioned dashboards appear in.
   * @default 'Monitoring'
   */
  readonly dashboardsFolder?: string;
  /**
   * More than one needs `database`: replicas do not share a SQLite file.
   * Replicas are not clustered for Grafana-managed alerting (no HA peers), so
   * each would evaluate such rules and notify on its own: alert with
   * Prometheus and Alertmanager.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Keep Grafana's state (users, UI-made dashboards, alert state) in this
   * database instead of SQLite on a volume. Required for more than one replica.
   * @default SQLite on a PersistentVolumeClaim
   */
  readonly database?: GrafanaDatabase;
  /**
   * The volume of the SQLite database (and plugins), without `database`.
   * @default 10 GiB on the default StorageClass
   */
  readonly storage?: StorageOptions;
  /**
   * Grafana's secret key, which encrypts datasource secrets in its database;
   * every replica must have the same.
   * @default Grafana's built-in key: set one for anything but a trial
   */
  readonly secretKey?: SecretFile;
  /**
   * Path prefix, e.g. `/grafana` behind a path-based Ingress: Grafana then
   * serves from the sub path (`serve_from_sub_path`).
   * @default '/'
   */
  readonly routePrefix?: string;
  /**
   * The public URL, if no Ingress of this library tells it (`root_url`).
   * @default the Ingress's URL, else Grafana's own default under the route prefix
   */
  readonly externalUrl?: string;
  /**
   * The Grafana image; its `USER` must be 472 unless `runAs` says otherwise.
   * @default DefaultImages.GRAFANA
   */
  readonly image?: ContainerImage;
  /**
   * Requests and limits of the Grafana container.
   * @default 100m/256Mi requested, 1 CPU/1Gi limit
   */
  readonly resources?: Resources;
}

/** Kubernetes' limit for the data of one ConfigMap. */
const MAX_CONFIGMAP_BYTES = 1024 * 1024;
const MAX_DASHBOARD_NAME = 40;

interface AddedDashboard {
  readonly name: string;
  readonly uid?: string;
  readonly configMap: k8s.KubeConfigMap;
}

/**
 * Grafana with its datasources and dashboards provisioned from code: a
 * Deployment under Pod Security "restricted" with a read-only root, admin
 * credentials and database URL read from Secrets (`GF_*__FILE`), SQLite on a
 * PersistentVolumeClaim or an external database (which more than one replica
 * needs), and a NetworkPolicy that lets it reach exactly its datasources.
 */
export class Grafana extends WebComponent {
  public readonly replicas: number;
  /** The Service port the Ingress routes to. */
  public readonly webPort = GRAFANA_HTTP_PORT;
  /** The Service name the Ingress routes to. */
  public readonly serviceName: string;
  /** The Service (port `http`). */
  public readonly service: k8s.KubeService;
  /** The Deployment: the default child. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ConfigMap with `datasources.yaml`. */
  public readonly datasourcesConfigMap: k8s.KubeConfigMap;
  /** The ConfigMap with the dashboard provider (`dashboards.yaml`). */
  public readonly dashboardProvidersConfigMap: k8s.KubeConfigMap;
  /** The claim of the SQLite volume, when there is no external database. */
  public readonly persistentVolumeClaim?: k8s.KubePersistentVolumeClaim;

  private readonly apis: IQueryApi[] = [];
  private readonly added: AddedDashboard[] = [];

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    // The base keeps the public URL as given: Grafana's, checked below, has no trailing slash.
    super(scope, id, { app: 'grafana', role: 'dashboards', conventionalPath: '/grafana' },
      { ...props, externalUrl: props.externalUrl === undefined ? undefined : trimUrl(props.externalUrl) });
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 1);
    if (this.replicas > 1 && !props.database) {
      invalid(this, 'replicas', `${this.replicas} replicas need an external database (props.database): `
        + 'each replica would have its own SQLite file, so users, sessions and saved dashboards would differ between them');
    }
    if (props.database && props.storage) {
      invalid(this, 'storage', 'is for the SQLite file, which an external database replaces; remove storage or database');
    }
    const prefix = this.prefix;
    const explicitUrl = props.externalUrl === undefined ? undefined : validateUrl(this, 'externalUrl', props.externalUrl);
    // At synth: an Ingress may give Grafana its conventional path after this.
    this.node.addValidation({
      validate: () => explicitUrl && this.routePrefix !== '/' && new URL(explicitUrl).pathname.replace(/\/+$/, '') !== this.routePrefix
        ? [`${this.node.path}: invalid 'externalUrl': '${explicitUrl}' must end in the route prefix '${this.routePrefix}', the sub path Grafana serves from`]
        : [],
    });
    this.serviceName = this.identity.name;
    const admin = {
      secretName: validateSecretName(this, 'adminCredentials.secretName', props.adminCredentials?.secretName),
      userKey: validateSecretKey(this, 'adminCredentials.userKey', props.adminCredentials?.userKey ?? 'admin-user'),
      passwordKey: validateSecretKey(this, 'adminCredentials.passwordKey', props.adminCredentials?.passwordKey ?? 'admin-password'),
    };
    const databaseUrl = props.database ? requiredSecretFile(this, 'database.urlSecret', props.database.urlSecret, 'the database URL') : undefined;
    const secretKey = secretFileField(this, 'secretKey', props.secretKey);
    const folder = props.dashboardsFolder ?? 'Monitoring';
    if (!folder.trim()) invalid(this, 'dashboardsFolder', 'is empty: name the folder the dashboards appear in');

    const files = grafanaSecretSettings(admin, databaseUrl, secretKey);
    // Each Secret key Grafana reads, with the setting it fills (GF_<…>__FILE).
    this.requires(...files.map(f => ({
      kind: PrerequisiteKind.SECRET, name: f.file.secretName, keys: [f.file.key], why: `${f.env} (read as ${f.env}__FILE)`,
    })));

    this.datasourcesConfigMap = this.createConfigMap('datasources', {
      'datasources.yaml': Lazy.any({ produce: () => renderDatasources(this.apis, this.identity.namespace) }),
    });
    this.dashboardProvidersConfigMap = this.createConfigMap('dashboard-providers', {
      'dashboards.yaml': Lazy.any({ produce: () => renderDashboardProviders(folder, this.added.length > 0) }),
    });
    if (!props.database) {
      this.persistentVolumeClaim = new k8s.KubePersistentVolumeClaim(this, 'data', {
        metadata: { name: `${this.identity.name}-data`, labels: this.identity.labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: props.storage?.storageClassName,
          resources: { requests: { storage: storageQuantity(props.storage?.size ?? Size.gibibytes(10)) } },
        },
      });
    }

    this.deployment = this.createDeployment(this.replicas, this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? GRAFANA_USER }, grafanaPod({
      image: props.image,
      resources: props.resources,
      settings: files,
      prefix,
      externalUrl: () => this.externalUrl,
      dataClaim: this.persistentVolumeClaim?.name,
      datasourcesConfigMap: this.datasourcesConfigMap.name,
      dashboardProvidersConfigMap: this.dashboardProvidersConfigMap.name,
      dashboardConfigMaps: () => this.added.map(d => d.configMap.name),
    })));
    // A ReadWriteOnce volume cannot be attached to the new pod while the old one holds it.
    if (this.persistentVolumeClaim) this.deployment.addJsonPatch(JsonPatch.add('/spec/strategy', { type: 'Recreate' }));
    this.service = this.createService({ ports: [GRAFANA_HTTP_PORT] });

    if (props.database) {
      this.connectTo(props.database.peer ?? NetworkPeer.anywhere(), [{ name: 'database', port: validatePort(this, 'database.port', props.database.port ?? 5432) }]);
    }
    // Deployment pods have no stable names: the Prometheus of the stack finds them through the Service.
    this.serveMetrics(this.replicas, [{ job: this.metricsJob(), port: GRAFANA_HTTP_PORT, get path() { return prefix.join('/metrics'); }, service: this.serviceName }]);
    props.datasources?.forEach(api => this.addDatasource(api));
    (props.dashboards ?? GrafanaDashboards.stack()).forEach(d => this.addDashboard(d.name, d.json));
    this.protect(this.replicas);
  }

  /**
   * Provisions a Prometheus datasource for `api` (the first added is the
   * default) and allows Grafana's egress to its query port.
   * @throws if it is already a datasource, or another has the same uid
   */
  public addDatasource(api: IQueryApi): void {
    if (this.apis.includes(api)) invalid(this, 'datasources', `'${api.node.path}' is already a datasource`);
    const uid = datasourceUid(api, this.identity.namespace);
    const clash = this.apis.find(a => datasourceUid(a, this.identity.namespace) === uid);
    if (clash) invalid(this, 'datasources', `'${api.node.path}' and '${clash.node.path}' would both be datasource '${uid}'; give one another name`);
    this.apis.push(api);
    this.connectTo(NetworkPeer.component(api), [api.queryPort]);
  }

  /** The query APIs provisioned as datasources, the default first. */
  public get datasources(): IQueryApi[] {
    return [...this.apis];
  }

  /**
   * Provisions a dashboard: `json` is its model, an object or JSON text (a
   * file's content). It is written to its own ConfigMap, `<grafana>-dashboard-<name>`.
   * @throws if the JSON does not parse or has no `title`, the name or uid is taken, or it exceeds a ConfigMap
   */
  public addDashboard(name: string, json: string | Record<string, unknown>): void {
    const prop = `dashboards.${name}`;
    validateDnsLabel(this, prop, name, MAX_DASHBOARD_NAME);
    if (this.added.some(d => d.name === name)) invalid(this, prop, `a dashboard named '${name}' is already added`);
    const model = parseDashboard(this, prop, json);
    const uid = typeof model.uid === 'string' && model.uid !== '' ? model.uid : undefined;
    const sameUid = uid === undefined ? undefined : this.added.find(d => d.uid === uid);
    if (sameUid) invalid(this, prop, `has uid '${uid}', like dashboard '${sameUid.name}': Grafana provisions only one of them`);
    const text = `${JSON.stringify(model, null, 2)}\n`;
    if (Buffer.byteLength(text) > MAX_CONFIGMAP_BYTES) {
      invalid(this, prop, `is ${Buffer.byteLength(text)} bytes of JSON, more than the 1 MiB a ConfigMap holds`);
    }
    this.added.push({ name, uid, configMap: this.createConfigMap(`dashboard-${name}`, { [`${name}.json`]: text }) });
  }

  /** The ConfigMap of each provisioned dashboard, in the order they were added. */
  public get dashboardConfigMaps(): k8s.KubeConfigMap[] {
    return this.added.map(d => d.configMap);
  }

  /** The names of the provisioned dashboards, in the order they were added. */
  public get dashboards(): string[] {
    return this.added.map(d => d.name);
  }

  /** The rendered `datasources.yaml` (for tests). */
  public renderDatasources(): string {
    return renderDatasources(this.apis, this.identity.namespace);
  }
}

