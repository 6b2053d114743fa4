import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import {
  Grafana, GrafanaDashboards, GrafanaProps, MonitoringChart, MonitoringIngress, NetworkPeer, Prometheus, SecretFile, StackDefaultDenyPolicy,
  ThanosQuerier,
} from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { K8sSchema } from '../support/k8s-schema';
import { all, container, find, givenChart, Manifest, synth, testApp } from '../support/synth';

// Grafana's provisioning files are checked against the upstream format of the
// pinned release line (grafana/grafana, read through the code index, no tag
// checkout: the repository is over the fetch limit):
// - conf/provisioning/datasources/sample.yaml (apiVersion 1, `datasources`),
// - pkg/services/provisioning/datasources/types.go: upsertDataSourceFromConfigV1's
//   yaml keys (name, type, access, orgId, uid, url, isDefault, jsonData, editable),
// - pkg/services/provisioning/dashboards/types.go: configs' keys under `providers`
//   (name, type, orgId, folder, editable, options, disableDeletion, allowUiUpdates),
//   and config_reader.go (apiVersion > 0 reads `providers`; type defaults to file),
// - packaging/docker/run.sh: every GF_<KEY>__FILE becomes GF_<KEY> from the file's content,
// - packages/grafana-prometheus types.ts: PromApplication (Prometheus, Thanos, …) for jsonData.prometheusType.

const ADMIN = { secretName: 'grafana-admin' };

/** A Prometheus, a Querier over it, and a Grafana with the Querier as datasource. */
function givenStack(props: Partial<GrafanaProps> = {}) {
  const { app, chart } = givenChart();
  new StackDefaultDenyPolicy(chart, 'default-deny');
  const prometheus = new Prometheus(chart, 'prometheus');
  const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
  const grafana = new Grafana(chart, 'grafana', { adminCredentials: ADMIN, datasources: [querier], ...props });
  return { app, chart, prometheus, querier, grafana };
}

const grafanaContainer = (manifests: Manifest[]) => container(find(manifests, 'Deployment', 'grafana'), 'grafana');
const envOf = (manifests: Manifest[]): Record<string, string> =>
  Object.fromEntries(grafanaContainer(manifests).env.map((e: any) => [e.name, e.value]));

describe('Grafana', () => {
  test('provisions its query APIs as Prometheus datasources: the first the default, Thanos for a Querier', () => {
    // GIVEN a Querier and a Prometheus, and a Prometheus of another namespace
    const { app, chart, prometheus, grafana } = givenStack();
    const other = new Prometheus(new Chart(app, 'other', { namespace: 'team-a' }), 'prometheus');
    // WHEN both are added as datasources after the Querier
    grafana.addDatasource(prometheus);
    grafana.addDatasource(other);
    const manifests = synth(chart);
    // THEN datasources.yaml has the upstream shape, with uids derived from the component names
    const file = find(manifests, 'ConfigMap', 'grafana-datasources').data['datasources.yaml'];
    expect(file).toBe(grafana.renderDatasources());
    expect(parse(file)).toEqual({
      apiVersion: 1,
      datasources: [
        {
          name: 'querier', uid: 'querier', type: 'prometheus', access: 'proxy', orgId: 1, url: 'http://querier.monitoring.svc:10902',
          isDefault: true, editable: false, jsonData: { prometheusType: 'Thanos', httpMethod: 'POST' },
        },
        {
          name: 'prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', orgId: 1, url: 'http://prometheus.monitoring.svc:9090',
          isDefault: false, editable: false, jsonData: { prometheusType: 'Prometheus', httpMethod: 'POST' },
        },
        {
          name: 'prometheus-team-a', uid: 'prometheus-team-a', type: 'prometheus', access: 'proxy', orgId: 1, url: 'http://prometheus.team-a.svc:9090',
          isDefault: false, editable: false, jsonData: { prometheusType: 'Prometheus', httpMethod: 'POST' },
        },
      ],
    });
    expect(grafana.datasources.map(d => d.node.path)).toEqual(['test/querier', 'test/prometheus', 'other/prometheus']);
    // AND it is mounted where Grafana reads datasource provisioning
    expect(grafanaContainer(manifests).volumeMounts).toContainEqual({ name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true });
  });

  test("NetworkPolicy egress goes to exactly its datasources' query ports (and DNS); ingress only from the Prometheus that scrapes it", () => {
    // GIVEN
    const { chart, prometheus, grafana } = givenStack();
    grafana.addDatasource(prometheus);
    // WHEN
    const policy = find(synth(chart), 'NetworkPolicy', 'grafana');
    // THEN
    expect(policy.spec.egress).toEqual([
      { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'thanos-query', 'app.kubernetes.io/instance': 'querier' } } }], ports: [{ protocol: 'TCP', port: 10902 }] },
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }], ports: [{ protocol: 'TCP', port: 3000 }] },
    ]);
    // AND each datasource lets Grafana in on its query port
    const querierPolicy = find(synth(chart), 'NetworkPolicy', 'querier');
    expect(querierPolicy.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'grafana' } } }], ports: [{ protocol: 'TCP', port: 10902 }],
    });
  });

  test('an external database is reached on its port, where it runs', () => {
    // GIVEN a database in the cluster's `databases` namespace
    const { chart } = givenStack({
      replicas: 2, database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url'), port: 5433, peer: NetworkPeer.namespace('databases') },
    });
    // WHEN
    const policy = find(synth(chart), 'NetworkPolicy', 'grafana');
    // THEN
    expect(policy.spec.egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'databases' } } }], ports: [{ protocol: 'TCP', port: 5433 }] });
  });

  test('provisions the stack dashboards by default, each in its own ConfigMap, under one file provider', () => {
    // GIVEN / WHEN
    const { chart, grafana } = givenStack();
    const manifests = synth(chart);
    // THEN the provider is the upstream format, pointing at the projected dashboards folder
    expect(parse(find(manifests, 'ConfigMap', 'grafana-dashboard-providers').data['dashboards.yaml'])).toEqual({
      apiVersion: 1,
      providers: [{
        name: 'cdk8s-prometheus-thanos', orgId: 1, type: 'file', folder: 'Monitoring', disableDeletion: true, allowUiUpdates: false, editable: true,
        options: { path: '/etc/grafana/dashboards', foldersFromFilesStructure: false },
      }],
    });
    expect(grafana.dashboards).toEqual(GrafanaDashboards.stack().map(d => d.name));
    for (const name of grafana.dashboards) {
      const data = find(manifests, 'ConfigMap', `grafana-dashboard-${name}`).data;
      expect(Object.keys(data)).toEqual([`${name}.json`]);
      expect(JSON.parse(data[`${name}.json`]).uid).toBe(`cdk8s-${name}`);
    }
    const deployment = find(manifests, 'Deployment', 'grafana');
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'dashboards', projected: { sources: grafana.dashboards.map(n => ({ configMap: { name: `grafana-dashboard-${n}` } })) },
    });
    expect(grafanaContainer(manifests).volumeMounts).toEqual(expect.arrayContaining([
      { name: 'dashboard-providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
      { name: 'dashboards', mountPath: '/etc/grafana/dashboards', readOnly: true },
    ]));
  });

  test('adds dashboards from objects and from JSON files; none at all leaves an empty provider list and no dashboards volume', () => {
    // GIVEN a JSON file exported from Grafana
    const dir = mkdtempSync(join(tmpdir(), 'grafana-dashboard-'));
    try {
      const file = join(dir, 'team.json');
      writeFileSync(file, JSON.stringify({ title: 'Team', uid: 'team', panels: [] }));
      const { chart, grafana } = givenStack({ dashboards: [GrafanaDashboards.fromFile('team', file)], dashboardsFolder: 'Teams' });
      // WHEN an object dashboard is added as well
      grafana.addDashboard('latency', { title: 'Latency', panels: [] });
      const empty = new Grafana(chart, 'empty', { adminCredentials: ADMIN, dashboards: [] });
      const manifests = synth(chart);
      // THEN each is provisioned as its file, formatted
      expect(grafana.dashboards).toEqual(['team', 'latency']);
      expect(JSON.parse(find(manifests, 'ConfigMap', 'grafana-dashboard-team').data['team.json'])).toEqual({ title: 'Team', uid: 'team', panels: [] });
      expect(find(manifests, 'ConfigMap', 'grafana-dashboard-latency').data['latency.json']).toBe('{\n  "title": "Latency",\n  "panels": []\n}\n');
      expect(parse(find(manifests, 'ConfigMap', 'grafana-dashboard-providers').data['dashboards.yaml']).providers[0].folder).toBe('Teams');
      // AND a Grafana without dashboards lists no provider and mounts no dashboards folder
      expect(empty.dashboards).toEqual([]);
      expect(parse(find(manifests, 'ConfigMap', 'empty-dashboard-providers').data['dashboards.yaml'])).toEqual({ apiVersion: 1, providers: [] });
      expect(find(manifests, 'Deployment', 'empty').spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('dashboards');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('credentials only through GF_*__FILE from mounted Secrets: admin login, database URL, secret key', () => {
    // GIVEN
    const { chart } = givenStack({
      adminCredentials: { secretName: 'grafana-admin', userKey: 'user', passwordKey: 'password' },
      replicas: 2,
      database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url') },
      secretKey: SecretFile.fromSecret('grafana-admin', 'secret-key'),
    });
    // WHEN
    const manifests = synth(chart);
    const c = grafanaContainer(manifests);
    // THEN the secrets are files of the mounted Secrets, named by path only
    expect(Object.fromEntries(c.env.filter((e: any) => e.name.endsWith('__FILE')).map((e: any) => [e.name, e.value]))).toEqual({
      GF_SECURITY_ADMIN_USER__FILE: '/etc/grafana/secrets/grafana-admin/user',
      GF_SECURITY_ADMIN_PASSWORD__FILE: '/etc/grafana/secrets/grafana-admin/password',
      GF_DATABASE_URL__FILE: '/etc/grafana/secrets/grafana-db/url',
      GF_SECURITY_SECRET_KEY__FILE: '/etc/grafana/secrets/grafana-admin/secret-key',
    });
    // AND no plain variable carries a credential, and nothing comes from secretKeyRef
    expect(c.env.filter((e: any) => /USER|PASSWORD|SECRET|DATABASE_URL/.test(e.name) && !e.name.endsWith('__FILE'))).toEqual([]);
    expect(c.env.every((e: any) => e.valueFrom === undefined)).toBe(true);
    expect(c.volumeMounts).toEqual(expect.arrayContaining([
      { name: 'secret-grafana-admin', mountPath: '/etc/grafana/secrets/grafana-admin', readOnly: true },
      { name: 'secret-grafana-db', mountPath: '/etc/grafana/secrets/grafana-db', readOnly: true },
    ]));
    const volumes = find(manifests, 'Deployment', 'grafana').spec.template.spec.volumes;
    expect(volumes.filter((v: any) => v.secret)).toEqual([
      { name: 'secret-grafana-admin', secret: { secretName: 'grafana-admin' } },
      { name: 'secret-grafana-db', secret: { secretName: 'grafana-db' } },
    ]);
    expect(all(manifests, 'Secret')).toEqual([]);
  });

  test('one replica keeps SQLite on a 10 GiB claim and is replaced, not rolled; more replicas share the database and spread', () => {
    // GIVEN
    const { chart } = givenChart();
    new Grafana(chart, 'single', { adminCredentials: ADMIN });
    new Grafana(chart, 'ha', { adminCredentials: ADMIN, replicas: 3, database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url') } });
    // WHEN
    const manifests = synth(chart);
    // THEN
    const single = find(manifests, 'Deployment', 'single');
    expect(find(manifests, 'PersistentVolumeClaim', 'single-data').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } });
    expect(single.spec.strategy).toEqual({ type: 'Recreate' });
    expect(single.spec.template.spec.volumes[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'single-data' } });
    const ha = find(manifests, 'Deployment', 'ha');
    expect(ha.spec.replicas).toBe(3);
    expect(ha.spec.strategy).toBeUndefined();
    expect(ha.spec.template.spec.volumes[0]).toEqual({ name: 'data', emptyDir: {} });
    expect(ha.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(all(manifests, 'PersistentVolumeClaim').map(p => p.metadata.name)).toEqual(['single-data']);
    expect(all(manifests, 'PodDisruptionBudget').map(p => [p.metadata.name, p.spec.maxUnavailable])).toEqual([['ha', 1]]);
  });

  test('runs as the image user 472 with a read-only root, probes on /api/health and writable /var/lib/grafana and /tmp only', () => {
    // GIVEN / WHEN
    const { chart } = givenStack();
    const manifests = synth(chart);
    const pod = find(manifests, 'Deployment', 'grafana').spec.template.spec;
    const c = grafanaContainer(manifests);
    // THEN
    expect(c.image).toBe('docker.io/grafana/grafana:12.4.14');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 });
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath)).toEqual(['/var/lib/grafana', '/tmp']);
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(c[probe].httpGet).toEqual({ path: '/api/health', port: 'http' });
    }
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    // AND it calls nothing outside the cluster
    expect(envOf(manifests)).toMatchObject({
      GF_ANALYTICS_REPORTING_ENABLED: 'false', GF_ANALYTICS_CHECK_FOR_UPDATES: 'false', GF_PLUGINS_PREINSTALL_DISABLED: 'true',
    });
    expect(envOf(manifests).GF_SERVER_ROOT_URL).toBeUndefined();
  });

  test('its metrics are scraped by the Prometheus of its stack through its Service', () => {
    // GIVEN / WHEN
    const { prometheus } = givenStack();
    const job = parse(prometheus.renderConfig()).scrape_configs.find((c: any) => c.job_name === 'grafana');
    // THEN
    expect(job.metrics_path).toBe('/metrics');
    expect(job.relabel_configs[0]).toMatchObject({ source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], regex: 'grafana;http', action: 'keep' });
  });

  test('behind a path-based Ingress it serves from /grafana: root_url, serve_from_sub_path, probes and metrics follow', () => {
    // GIVEN
    const { chart, prometheus, querier, grafana } = givenStack();
    // WHEN an Ingress routes Grafana (and the Querier) by path
    new MonitoringIngress(chart, 'ingress', { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls', querier, grafana });
    const manifests = synth(chart);
    // THEN
    const paths = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths;
    expect(paths).toContainEqual({ path: '/grafana', pathType: 'Prefix', backend: { service: { name: 'grafana', port: { name: 'http' } } } });
    expect(grafana.routePrefix).toBe('/grafana');
    expect(envOf(manifests)).toMatchObject({
      GF_SERVER_ROOT_URL: 'https://monitoring.example.com/grafana',
      GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
      GF_SECURITY_COOKIE_SECURE: 'true',
    });
    expect(grafanaContainer(manifests).readinessProbe.httpGet.path).toBe('/grafana/api/health');
    expect(parse(prometheus.renderConfig()).scrape_configs.find((c: any) => c.job_name === 'grafana').metrics_path).toBe('/grafana/metrics');
    // AND its datasource is the Querier under the Querier's own path
    expect(parse(grafana.renderDatasources()).datasources[0].url).toBe('http://querier.monitoring.svc:10902/thanos');
    // AND the Ingress controller may reach it
    expect(find(manifests, 'NetworkPolicy', 'grafana').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 3000 }],
    });
  });

  test('on a host of its own it serves from the root; an explicit prefix and URL are kept', () => {
    // GIVEN
    const { chart, grafana } = givenStack();
    const other = new Grafana(chart, 'other', { adminCredentials: ADMIN, routePrefix: '/dash', externalUrl: 'https://ops.example.com/dash/' });
    // WHEN
    const ingress = new MonitoringIngress(chart, 'ingress', { tlsSecretName: 'tls' });
    ingress.addRoute(grafana, { host: 'grafana.example.com' });
    const manifests = synth(chart);
    // THEN
    expect(envOf(manifests).GF_SERVER_ROOT_URL).toBe('https://grafana.example.com');
    expect(envOf(manifests).GF_SERVER_SERVE_FROM_SUB_PATH).toBeUndefined();
    const otherEnv = Object.fromEntries(container(find(manifests, 'Deployment', 'other'), 'grafana').env.map((e: any) => [e.name, e.value]));
    expect(other.externalUrl).toBe('https://ops.example.com/dash');
    expect(otherEnv).toMatchObject({ GF_SERVER_ROOT_URL: 'https://ops.example.com/dash', GF_SERVER_SERVE_FROM_SUB_PATH: 'true' });
  });

  test('a sub path without a public URL keeps Grafana\'s default root_url under that path', () => {
    // GIVEN / WHEN
    const { chart } = givenStack({ routePrefix: '/grafana' });
    // THEN
    expect(envOf(synth(chart)).GF_SERVER_ROOT_URL).toBe('%(protocol)s://%(domain)s:%(http_port)s/grafana/');
  });

  test('MonitoringChart: Grafana after the Querier, with the Querier as datasource, on the Ingress under /grafana', () => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = new MonitoringChart(app, 'monitoring', {
      namespace: 'monitoring', grafana: { adminCredentials: ADMIN }, ingress: { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls' },
    });
    const manifests = Testing.synth(chart) as Manifest[];
    // THEN
    expect(chart.grafana?.datasources).toEqual([chart.querier]);
    const routed = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths.filter((p: any) => p.pathType === 'Prefix' && !p.path.includes('/api/v1/admin'));
    expect(routed.map((p: any) => p.path)).toEqual(['/alertmanager', '/prometheus', '/grafana', '/thanos']);
    expect(checkPolicies(manifests)).toEqual([]);
    // AND without `grafana`, or with it switched off, there is none; without a Querier it queries Prometheus
    expect(new MonitoringChart(testApp(), 'm', { namespace: 'monitoring' }).grafana).toBeUndefined();
    expect(new MonitoringChart(testApp(), 'm', { namespace: 'monitoring', grafana: { enabled: false, adminCredentials: ADMIN } }).grafana).toBeUndefined();
    const noQuerier = new MonitoringChart(testApp(), 'm', { namespace: 'monitoring', querier: { enabled: false }, grafana: { adminCredentials: ADMIN } });
    expect(noQuerier.grafana?.datasources).toEqual([noQuerier.prometheus]);
  });

  describe.each<[string, Partial<GrafanaProps>]>([
    ['defaults', {}],
    ['three replicas on a database, with a secret key', {
      replicas: 3, database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url') }, secretKey: SecretFile.fromSecret('grafana-key', 'key'),
    }],
  ])('%s', (_name, props) => {
    test('passes the policy check with no violation, behind a TLS Ingress', () => {
      // GIVEN
      const { chart, querier, grafana } = givenStack(props);
      new MonitoringIngress(chart, 'ingress', { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls', querier, grafana });
      // WHEN
      const violations = checkPolicies(synth(chart));
      // THEN
      expect(violations).toEqual([]);
    });

    test('is valid Kubernetes 1.27, strictly', () => {
      // GIVEN
      const { chart } = givenStack(props);
      // WHEN
      const objects = synth(chart).filter(o => o.metadata.labels?.['app.kubernetes.io/name'] === 'grafana');
      // THEN
      expect(objects.map(o => o.kind)).toContain('Deployment');
      expect(K8sSchema.load().validateAll(objects)).toEqual([]);
    });
  });
});

describe('Grafana fails at synth time on bad input', () => {
  const db = { urlSecret: SecretFile.fromSecret('grafana-db', 'url') };
  test.each<[string, (chart: Chart) => void, string]>([
    ['two replicas have no database', c => new Grafana(c, 'g', { adminCredentials: ADMIN, replicas: 2 }), "test/g: invalid 'replicas': 2 replicas need an external database"],
    ['there is no replica', c => new Grafana(c, 'g', { adminCredentials: ADMIN, replicas: 0 }), "test/g: invalid 'replicas': must be an integer >= 1"],
    ['storage is given with a database', c => new Grafana(c, 'g', { adminCredentials: ADMIN, database: db, storage: {} }), "test/g: invalid 'storage'"],
    ['the admin Secret is missing', c => new Grafana(c, 'g', {} as GrafanaProps), "test/g: invalid 'adminCredentials.secretName': is required"],
    ['the admin Secret name has capitals', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'Grafana' } }), "test/g: invalid 'adminCredentials.secretName': 'Grafana' must be the name of a Secret"],
    ['the user key would leave the mount', c => new Grafana(c, 'g', { adminCredentials: { ...ADMIN, userKey: '../user' } }), "test/g: invalid 'adminCredentials.userKey'"],
    ['the password key has a space', c => new Grafana(c, 'g', { adminCredentials: { ...ADMIN, passwordKey: 'pass word' } }), "test/g: invalid 'adminCredentials.passwordKey'"],
    ['the database URL is a literal', c => new Grafana(c, 'g', { adminCredentials: ADMIN, database: { urlSecret: 'postgres://u:p@db/grafana' as unknown as SecretFile } }),
      "test/g: invalid 'database.urlSecret': 'postgres://u:p@db/grafana' is not a SecretFile"],
    ['the database port is 0', c => new Grafana(c, 'g', { adminCredentials: ADMIN, database: { ...db, port: 0 } }), "test/g: invalid 'database.port'"],
    ['the secret key is a literal', c => new Grafana(c, 'g', { adminCredentials: ADMIN, secretKey: 'hunter2' as unknown as SecretFile }), "test/g: invalid 'secretKey'"],
    ['the route prefix has no slash', c => new Grafana(c, 'g', { adminCredentials: ADMIN, routePrefix: 'grafana' }), "test/g: invalid 'routePrefix'"],
    ['the external URL is not http(s)', c => new Grafana(c, 'g', { adminCredentials: ADMIN, externalUrl: 'grafana.example.com' }), "test/g: invalid 'externalUrl': 'grafana.example.com' must be an http(s) URL"],
    ['the external URL misses the sub path', c => new Grafana(c, 'g', { adminCredentials: ADMIN, routePrefix: '/grafana', externalUrl: 'https://x.example.com/' }),
      "test/g: invalid 'externalUrl': 'https://x.example.com' must end in the route prefix '/grafana'"],
    ['the dashboards folder is blank', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboardsFolder: ' ' }), "test/g: invalid 'dashboardsFolder'"],
    ['a datasource is added twice', c => { const p = new Prometheus(c, 'p'); new Grafana(c, 'g', { adminCredentials: ADMIN, datasources: [p, p] }); },
      "test/g: invalid 'datasources': 'test/p' is already a datasource"],
    ['two datasources get one uid', (c) => {
      const a = new Prometheus(new Chart(c.node.root as any, 'x', { namespace: 'b' }), 'a-b');
      const b = new Prometheus(new Chart(c.node.root as any, 'y', { namespace: 'b-b' }), 'a');
      new Grafana(new Chart(c.node.root as any, 'z', { namespace: 'monitoring' }), 'g', { adminCredentials: ADMIN, datasources: [a, b] });
    }, "z/g: invalid 'datasources': 'y/a' and 'x/a-b' would both be datasource 'a-b-b'"],
    ['a dashboard name is not a DNS label', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'My Dashboard', json: { title: 'x' } }] }),
      "test/g: invalid 'dashboards.My Dashboard'"],
    ['a dashboard is added twice', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [GrafanaDashboards.prometheus(), GrafanaDashboards.prometheus()] }),
      "test/g: invalid 'dashboards.prometheus': a dashboard named 'prometheus' is already added"],
    ['a dashboard is not JSON', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'd', json: '{"title": ' }] }), "test/g: invalid 'dashboards.d': is not JSON"],
    ['a dashboard is a JSON array', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'd', json: '[]' }] }), "test/g: invalid 'dashboards.d': must be a dashboard JSON object, got an array"],
    ['a dashboard has no title', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'd', json: { uid: 'd' } }] }), "test/g: invalid 'dashboards.d': has no title"],
    ['two dashboards share a uid', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'a', json: { title: 'A', uid: 'u' } }, { name: 'b', json: { title: 'B', uid: 'u' } }] }),
      "test/g: invalid 'dashboards.b': has uid 'u', like dashboard 'a'"],
    ['a dashboard is over 1 MiB', c => new Grafana(c, 'g', { adminCredentials: ADMIN, dashboards: [{ name: 'big', json: { title: 'Big', description: 'x'.repeat(1024 * 1024) } }] }),
      "test/g: invalid 'dashboards.big': is 1048618 bytes of JSON, more than the 1 MiB a ConfigMap holds"],
  ])('fails when %s', (_name, build, expected) => {
    // GIVEN a chart
    const { app, chart } = givenChart();
    // WHEN the Grafana is built and synthesized
    // THEN it fails naming the construct and the prop
    expect(() => {
      build(chart);
      app.synth();
    }).toThrow(expected);
  });

  test('fails when a dashboard file cannot be read', () => {
    // GIVEN / WHEN / THEN
    expect(() => GrafanaDashboards.fromFile('d', '/nonexistent/d.json')).toThrow("GrafanaDashboards.fromFile: invalid 'path': cannot read '/nonexistent/d.json'");
  });
});
