import { JsonPatch, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { requiredSecretFile, secretFileField, secretVolumeName } from '../config/common/secret-mounts';
import { SecretFile } from '../config/common/secret-file';
import { PrerequisiteKind } from '../prerequisites/prerequisites';
import { invalid, validateCount, validateDnsLabel, validatePort } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { ReplicatedPodOptions, StorageOptions } from '../pod/pod-options';
import { Resources, storageQuantity } from '../pod/resources';
import { RunAs } from '../pod/security';
import { Component } from '../private/component';
import { container } from '../private/container';
import { RoutePrefix } from '../private/route-prefix';
import { IIngressTarget, IQueryApi, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { GrafanaDashboard, GrafanaDashboards } from './dashboards';
import { DASHBOARDS_DIR, datasourceUid, renderDashboardProviders, renderDatasources } from './provisioning';

/** The admin login of Grafana: keys of an existing Secret in Grafana's namespace. */
export interface GrafanaAdminCredentials {
  /** The Secret, in Grafana's namespace; the library never writes it. */
  readonly secretName: string;
  /**
   * Key of the admin user name.
   * @default 'admin-user' (the key the Grafana Helm chart uses)
   */
  readonly userKey?: string;
  /**
   * Key of the admin password.
   * @default 'admin-password' (the key the Grafana Helm chart uses)
   */
  readonly passwordKey?: string;
}

/** An external database for Grafana's state (users, dashboards saved in the UI, alert state, sessions). */
export interface GrafanaDatabase {
  /**
   * The database URL, e.g. `postgres://grafana:<password>@db.example.com:5432/grafana`
   * or `mysql://…`, as a key of a Secret: it holds the password. Grafana reads
   * it from the mounted file (`GF_DATABASE_URL__FILE`).
   */
  readonly urlSecret: SecretFile;
  /**
   * The database's TCP port, which the NetworkPolicy opens.
   * @default 5432 (PostgreSQL)
   */
  readonly port?: number;
  /**
   * Where the database runs, for the NetworkPolicy.
   * @default NetworkPeer.anywhere(): a managed database outside the cluster
   */
  readonly peer?: NetworkPeer;
}

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

const HTTP_PORT: NamedPort = { name: 'http', port: 3000 };
const DATA_DIR = '/var/lib/grafana';
const PROVISIONING_DIR = '/etc/grafana/provisioning';
const SECRETS_DIR = '/etc/grafana/secrets';
/** The user and group of the grafana/grafana image (`USER 472`; its group 0 is replaced, as "restricted" wants). */
export const GRAFANA_USER: RunAs = { user: 472, group: 472 };
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
export class Grafana extends Component implements IIngressTarget {
  public readonly replicas: number;
  public readonly webPort = HTTP_PORT;
  /** Where a path-based Ingress serves Grafana when no `routePrefix` is set. */
  public readonly conventionalPath = '/grafana';
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
  private readonly explicitUrl?: string;
  private ingressUrl?: string;
  private readonly prefix: RoutePrefix;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id, { app: 'grafana', role: 'dashboards' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 1);
    if (this.replicas > 1 && !props.database) {
      invalid(this, 'replicas', `${this.replicas} replicas need an external database (props.database): `
        + 'each replica would have its own SQLite file, so users, sessions and saved dashboards would differ between them');
    }
    if (props.database && props.storage) {
      invalid(this, 'storage', 'is for the SQLite file, which an external database replaces; remove storage or database');
    }
    this.prefix = new RoutePrefix(this, 'routePrefix', props.routePrefix);
    const prefix = this.prefix;
    this.explicitUrl = props.externalUrl === undefined ? undefined : validateUrl(this, 'externalUrl', props.externalUrl);
    // At synth: an Ingress may give Grafana its conventional path after this.
    this.node.addValidation({
      validate: () => this.explicitUrl && this.routePrefix !== '/' && new URL(this.explicitUrl).pathname.replace(/\/+$/, '') !== this.routePrefix
        ? [`${this.node.path}: invalid 'externalUrl': '${this.explicitUrl}' must end in the route prefix '${this.routePrefix}', the sub path Grafana serves from`]
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

    // Files read through GF_<KEY>__FILE: the image's entrypoint exports each file's content as GF_<KEY>.
    const files: Array<{ env: string; file: SecretFile }> = [
      { env: 'GF_SECURITY_ADMIN_USER', file: SecretFile.fromSecret(admin.secretName, admin.userKey) },
      { env: 'GF_SECURITY_ADMIN_PASSWORD', file: SecretFile.fromSecret(admin.secretName, admin.passwordKey) },
      ...(databaseUrl ? [{ env: 'GF_DATABASE_URL', file: databaseUrl }] : []),
      ...(secretKey ? [{ env: 'GF_SECURITY_SECRET_KEY', file: secretKey }] : []),
    ];
    const secrets = [...new Set(files.map(f => f.file.secretName))].sort();
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

    const env = (): k8s.EnvVar[] => {
      const url = this.externalUrl;
      const subPath = this.routePrefix !== '/';
      return [
        ...files.map(f => ({ name: `${f.env}__FILE`, value: f.file.pathIn(SECRETS_DIR) })),
        { name: 'GF_PATHS_DATA', value: DATA_DIR },
        { name: 'GF_PATHS_PROVISIONING', value: PROVISIONING_DIR },
        // The default root_url under the route prefix when no public URL is known.
        ...(url || subPath ? [{ name: 'GF_SERVER_ROOT_URL', value: url ?? `%(protocol)s://%(domain)s:%(http_port)s${this.routePrefix}/` }] : []),
        ...(subPath ? [{ name: 'GF_SERVER_SERVE_FROM_SUB_PATH', value: 'true' }] : []),
        ...(url?.startsWith('https://') ? [{ name: 'GF_SECURITY_COOKIE_SECURE', value: 'true' }] : []),
        // Nothing leaves the cluster but queries to the datasources: the NetworkPolicy would drop it anyway.
        { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
        { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
        { name: 'GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES', value: 'false' },
        { name: 'GF_PLUGINS_PREINSTALL_DISABLED', value: 'true' },
        { name: 'GF_SNAPSHOTS_EXTERNAL_ENABLED', value: 'false' },
      ];
    };
    // Resolved at synth, like the environment: the prefix may be adopted from an Ingress.
    const get = (path: string) => ({ path: Lazy.any({ produce: () => prefix.join(path) }), port: k8s.IntOrString.fromString(HTTP_PORT.name) });
    this.deployment = this.createDeployment(this.replicas, this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? GRAFANA_USER }, {
      containers: [container({
        name: 'grafana',
        image: props.image ?? DefaultImages.GRAFANA,
        args: [],
        env: Lazy.any({ produce: env }) as unknown as k8s.EnvVar[],
        ports: [HTTP_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
        volumeMounts: Lazy.any({ produce: () => [
          { name: 'data', mountPath: DATA_DIR },
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'datasources', mountPath: `${PROVISIONING_DIR}/datasources`, readOnly: true },
          { name: 'dashboard-providers', mountPath: `${PROVISIONING_DIR}/dashboards`, readOnly: true },
          ...(this.added.length ? [{ name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true }] : []),
          ...secrets.map(s => ({ name: secretVolumeName(s), mountPath: `${SECRETS_DIR}/${s}`, readOnly: true })),
        ] }) as unknown as k8s.VolumeMount[],
        probes: {
          // The first start migrates the database schema, which can take minutes.
          startupProbe: { httpGet: get('/api/health'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 30 },
          livenessProbe: { httpGet: get('/api/health'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
          readinessProbe: { httpGet: get('/api/health'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
        },
      })],
      volumes: Lazy.any({ produce: () => [
        this.persistentVolumeClaim
          ? { name: 'data', persistentVolumeClaim: { claimName: this.persistentVolumeClaim.name } }
          : { name: 'data', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
        { name: 'datasources', configMap: { name: this.datasourcesConfigMap.name } },
        { name: 'dashboard-providers', configMap: { name: this.dashboardProvidersConfigMap.name } },
        ...(this.added.length ? [{ name: 'dashboards', projected: { sources: this.added.map(d => ({ configMap: { name: d.configMap.name } })) } }] : []),
        ...secrets.map(s => ({ name: secretVolumeName(s), secret: { secretName: s } })),
      ] }) as unknown as k8s.Volume[],
    }));
    // A ReadWriteOnce volume cannot be attached to the new pod while the old one holds it.
    if (this.persistentVolumeClaim) this.deployment.addJsonPatch(JsonPatch.add('/spec/strategy', { type: 'Recreate' }));
    this.service = this.createService({ ports: [HTTP_PORT] });

    if (props.database) {
      this.connectTo(props.database.peer ?? NetworkPeer.anywhere(), [{ name: 'database', port: validatePort(this, 'database.port', props.database.port ?? 5432) }]);
    }
    // Deployment pods have no stable names: the Prometheus of the stack finds them through the Service.
    this.serveMetrics(this.replicas, [{ job: this.metricsJob(), port: HTTP_PORT, get path() { return prefix.join('/metrics'); }, service: this.serviceName }]);
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

  /** The names of the provisioned dashboards, in the order they were added. */
  public get dashboards(): string[] {
    return this.added.map(d => d.name);
  }

  /** The path prefix Grafana serves under (`serve_from_sub_path` when not `/`). */
  public get routePrefix(): string {
    return this.prefix.value;
  }

  /** Serves under `path` unless `routePrefix` was set; called by an Ingress that routes by path. */
  public routeUnder(path: string): string {
    return this.prefix.adopt(path);
  }

  /** Called by an Ingress that exposes Grafana: it becomes `root_url`, unless `externalUrl` is set. */
  public exposedAt(url: string): void {
    this.ingressUrl ??= url;
  }

  /** The public URL: the explicit one, else the one an Ingress gave. */
  public get externalUrl(): string | undefined {
    return this.explicitUrl ?? this.ingressUrl;
  }

  /** The rendered `datasources.yaml` (for tests). */
  public renderDatasources(): string {
    return renderDatasources(this.apis, this.identity.namespace);
  }
}

// A Secret name (a lowercase RFC 1123 subdomain) and a Secret data key, as Kubernetes accepts them.
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

function validateSecretName(scope: Construct, prop: string, value: unknown): string {
  if (value === undefined) invalid(scope, prop, "is required: the Secret with Grafana's admin user and password");
  if (typeof value !== 'string' || !SECRET_NAME.test(value) || value.length > 253) {
    invalid(scope, prop, `${show(value)} must be the name of a Secret in Grafana's namespace: a lowercase RFC 1123 subdomain of at most 253 characters`);
  }
  return value;
}

function validateSecretKey(scope: Construct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !SECRET_KEY.test(value) || value.length > 253 || value === '.' || value.startsWith('..')) {
    invalid(scope, prop, `${show(value)} must be a Secret key: at most 253 of [-._a-zA-Z0-9], not '.' and not starting with '..'`);
  }
  return value;
}

function validateUrl(scope: Construct, prop: string, value: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) invalid(scope, prop, `'${value}' must be an http(s) URL`);
  return value.replace(/\/+$/, '');
}

/** A dashboard model from JSON text or an object: a JSON object with a non-empty `title`. */
function parseDashboard(scope: Construct, prop: string, json: unknown): Record<string, unknown> {
  let model: unknown = json;
  if (typeof json === 'string') {
    try {
      model = JSON.parse(json);
    } catch (e) {
      invalid(scope, prop, `is not JSON: ${(e as Error).message}`);
    }
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) {
    invalid(scope, prop, `must be a dashboard JSON object, got ${Array.isArray(model) ? 'an array' : show(model)}`);
  }
  const title = (model as Record<string, unknown>).title;
  if (typeof title !== 'string' || !title.trim()) {
    invalid(scope, prop, 'has no title: Grafana refuses to provision a dashboard without one');
  }
  return model as Record<string, unknown>;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
