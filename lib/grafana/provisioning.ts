import { createHash } from 'crypto';
import { toYaml } from '../prometheus/prometheus-config';
import { IQueryApi } from '../wiring/interfaces';

/*
 * Grafana's provisioning files, as Grafana 12 reads them from
 * `/etc/grafana/provisioning/{datasources,dashboards}/*.yaml`: `apiVersion: 1`
 * and the camelCase keys of grafana/grafana
 * pkg/services/provisioning/datasources/types.go (upsertDataSourceFromConfigV1)
 * and pkg/services/provisioning/dashboards/types.go (configs, under `providers`).
 * @internal
 */

/** Where Grafana reads the dashboard files the provider lists. */
export const DASHBOARDS_DIR = '/etc/grafana/dashboards';

/** Grafana's limit for a datasource uid. */
const MAX_UID = 40;

/**
 * The uid (and name) of a datasource: the component's name, with its
 * namespace when it is not Grafana's; a stable hash keeps long ones within
 * Grafana's 40 characters. Dashboards and alert rules refer to it, so it
 * never changes for the same component.
 */
export function datasourceUid(api: IQueryApi, grafanaNamespace: string): string {
  const { name, namespace } = api.identity;
  const full = namespace === grafanaNamespace ? name : `${name}-${namespace}`;
  if (full.length <= MAX_UID) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_UID - 9).replace(/-+$/, '')}-${hash}`;
}

/** `datasources.yaml`: one Prometheus-type datasource per query API, the first the default. */
export function renderDatasources(apis: IQueryApi[], grafanaNamespace: string): string {
  return toYaml({
    apiVersion: 1,
    datasources: apis.map((api, i) => {
      const uid = datasourceUid(api, grafanaNamespace);
      return {
        name: uid,
        uid,
        type: 'prometheus',
        // The Grafana server queries it (the browser could not reach a cluster address).
        access: 'proxy',
        orgId: 1,
        url: api.queryUrl,
        isDefault: i === 0,
        // Provisioned from code: changes in the UI would be overwritten at the next start.
        editable: false,
        jsonData: {
          // Thanos: Grafana offers the Thanos-specific options (downsampling resolution, partial responses).
          prometheusType: api.queryApiFlavor,
          // Long PromQL fits in a POST body; Prometheus and Thanos both accept POST on the query API.
          httpMethod: 'POST',
        },
      };
    }),
  });
}

/** The dashboard provider: the files under {@link DASHBOARDS_DIR}, in one folder. */
export function renderDashboardProviders(folder: string, hasDashboards: boolean): string {
  return toYaml({
    apiVersion: 1,
    providers: hasDashboards ? [{
      name: 'cdk8s-prometheus-thanos',
      orgId: 1,
      type: 'file',
      folder,
      // The files are the source of truth: the UI can neither delete nor save over them.
      disableDeletion: true,
      allowUiUpdates: false,
      editable: true,
      options: { path: DASHBOARDS_DIR, foldersFromFilesStructure: false },
    }] : [],
  });
}
