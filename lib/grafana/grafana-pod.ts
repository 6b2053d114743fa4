import { Lazy, Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { secretVolumeName } from '../config/common/secret-mounts';
import { SecretFile } from '../config/common/secret-file';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { Resources } from '../pod/resources';
import { RunAs } from '../pod/security';
import { container } from '../private/container';
import { PodContent } from '../private/pod-template';
import { RoutePrefix } from '../private/route-prefix';
import { NamedPort } from '../wiring/interfaces';
import { DASHBOARDS_DIR } from './provisioning';

/** Grafana's port: UI, API, health and metrics. @internal */
export const GRAFANA_HTTP_PORT: NamedPort = { name: 'http', port: 3000 };
const DATA_DIR = '/var/lib/grafana';
const PROVISIONING_DIR = '/etc/grafana/provisioning';
const SECRETS_DIR = '/etc/grafana/secrets';
/** The user and group of the grafana/grafana image (`USER 472`; its group 0 is replaced, as "restricted" wants). */
export const GRAFANA_USER: RunAs = { user: 472, group: 472 };

/**
 * A setting Grafana reads from a Secret key through `GF_<KEY>__FILE`: the
 * image's entrypoint exports each file's content as `GF_<KEY>`.
 * @internal
 */
export interface GrafanaSecretSetting {
  /** `GF_<KEY>`. */
  readonly env: string;
  readonly file: SecretFile;
}

/** The admin login, checked. @internal */
export interface GrafanaAdminKeys {
  readonly secretName: string;
  readonly userKey: string;
  readonly passwordKey: string;
}

/** The settings Grafana reads from Secrets: the admin login, and the database URL and secret key when given. @internal */
export function grafanaSecretSettings(admin: GrafanaAdminKeys, databaseUrl?: SecretFile, secretKey?: SecretFile): GrafanaSecretSetting[] {
  return [
    { env: 'GF_SECURITY_ADMIN_USER', file: SecretFile.fromSecret(admin.secretName, admin.userKey) },
    { env: 'GF_SECURITY_ADMIN_PASSWORD', file: SecretFile.fromSecret(admin.secretName, admin.passwordKey) },
    ...(databaseUrl ? [{ env: 'GF_DATABASE_URL', file: databaseUrl }] : []),
    ...(secretKey ? [{ env: 'GF_SECURITY_SECRET_KEY', file: secretKey }] : []),
  ];
}

/** What the Grafana pod is made of; what an Ingress or a later `addDashboard()` may change is read at synth. @internal */
export interface GrafanaPodInput {
  readonly image?: ContainerImage;
  readonly resources?: Resources;
  readonly settings: GrafanaSecretSetting[];
  /** The route prefix, which an Ingress may set after the pod is made. */
  readonly prefix: RoutePrefix;
  /** The public URL, at synth. */
  readonly externalUrl: () => string | undefined;
  /** The claim of the SQLite volume; without one, the data directory is an emptyDir. */
  readonly dataClaim?: string;
  readonly datasourcesConfigMap: string;
  readonly dashboardProvidersConfigMap: string;
  /** The ConfigMaps of the provisioned dashboards, at synth. */
  readonly dashboardConfigMaps: () => string[];
}

/**
 * The Grafana container and its volumes: the settings from Secrets as files,
 * the provisioning ConfigMaps, a writable data directory and `/tmp` under a
 * read-only root, and the sub path and public URL in the environment.
 * @internal
 */
export function grafanaPod(input: GrafanaPodInput): PodContent {
  const { prefix, settings } = input;
  const secrets = [...new Set(settings.map(f => f.file.secretName))].sort();
  const env = (): k8s.EnvVar[] => {
    const url = input.externalUrl();
    const subPath = prefix.value !== '/';
    return [
      ...settings.map(f => ({ name: `${f.env}__FILE`, value: f.file.pathIn(SECRETS_DIR) })),
      { name: 'GF_PATHS_DATA', value: DATA_DIR },
      { name: 'GF_PATHS_PROVISIONING', value: PROVISIONING_DIR },
      // The default root_url under the route prefix when no public URL is known.
      ...(url || subPath ? [{ name: 'GF_SERVER_ROOT_URL', value: url ?? `%(protocol)s://%(domain)s:%(http_port)s${prefix.value}/` }] : []),
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
  const get = (path: string) => ({ path: Lazy.any({ produce: () => prefix.join(path) }), port: k8s.IntOrString.fromString(GRAFANA_HTTP_PORT.name) });
  return {
    containers: [container({
      name: 'grafana',
      image: input.image ?? DefaultImages.GRAFANA,
      args: [],
      env: Lazy.any({ produce: env }),
      ports: [GRAFANA_HTTP_PORT],
      resources: input.resources,
      defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
      volumeMounts: Lazy.any({ produce: () => [
        { name: 'data', mountPath: DATA_DIR },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'datasources', mountPath: `${PROVISIONING_DIR}/datasources`, readOnly: true },
        { name: 'dashboard-providers', mountPath: `${PROVISIONING_DIR}/dashboards`, readOnly: true },
        ...(input.dashboardConfigMaps().length ? [{ name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true }] : []),
        ...secrets.map(s => ({ name: secretVolumeName(s), mountPath: `${SECRETS_DIR}/${s}`, readOnly: true })),
      ] }),
      probes: {
        // The first start migrates the database schema, which can take minutes.
        startupProbe: { httpGet: get('/api/health'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 30 },
        livenessProbe: { httpGet: get('/api/health'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
        readinessProbe: { httpGet: get('/api/health'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
      },
    })],
    volumes: Lazy.any({ produce: () => {
      const dashboards = input.dashboardConfigMaps();
      return [
        input.dataClaim
          ? { name: 'data', persistentVolumeClaim: { claimName: input.dataClaim } }
          : { name: 'data', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
        { name: 'datasources', configMap: { name: input.datasourcesConfigMap } },
        { name: 'dashboard-providers', configMap: { name: input.dashboardProvidersConfigMap } },
        ...(dashboards.length ? [{ name: 'dashboards', projected: { sources: dashboards.map(name => ({ configMap: { name } })) } }] : []),
        ...secrets.map(s => ({ name: secretVolumeName(s), secret: { secretName: s } })),
      ];
    } }),
  };
}
