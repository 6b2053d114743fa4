import { Duration, Size } from 'cdk8s';
import { parse } from 'yaml';
import { Alertmanager, ContainerImage, DiscoveryScope, KubernetesRole, ObjectStorage, Prometheus, Pushgateway } from '../../lib';
import { all, container, find, flagValues, givenChart, synth } from '../support/synth';

const IDENTITY = {
  'app.kubernetes.io/component': 'server',
  'app.kubernetes.io/instance': 'prometheus',
  'app.kubernetes.io/managed-by': 'cdk8s',
  'app.kubernetes.io/name': 'prometheus',
  'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
};

// The objects of a default Prometheus, field by field, are in the example snapshots
// (test/examples); here: what a standalone one renders, and what tells it apart.
describe('Prometheus', () => {
  test('defaults render the recorded prometheus.yml and container args', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus');
    const manifests = synth(chart);
    // THEN
    const sts = find(manifests, 'StatefulSet', 'prometheus');
    expect({
      'prometheus.yml': find(manifests, 'ConfigMap', 'prometheus-config').data['prometheus.yml'],
      args: Object.fromEntries(sts.spec.template.spec.containers.map((c: any) => [c.name, c.args])),
    }).toMatchSnapshot();
  });

  test('defaults add a ServiceAccount, cluster RBAC, two ConfigMaps, two Services, the StatefulSet, a PDB and a NetworkPolicy, all labelled', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus');
    const manifests = synth(chart);
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/prometheus',
      'ClusterRole/monitoring-prometheus',
      'ClusterRoleBinding/monitoring-prometheus',
      'ConfigMap/prometheus-config',
      'ConfigMap/prometheus-rules',
      'Service/prometheus-headless',
      'Service/prometheus',
      'StatefulSet/prometheus',
      'PodDisruptionBudget/prometheus',
      'NetworkPolicy/prometheus',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => IDENTITY));
    const clusterScoped = ['ClusterRole', 'ClusterRoleBinding'];
    expect(manifests.map(m => m.metadata.namespace)).toEqual(manifests.map(m => (clusterScoped.includes(m.kind) ? undefined : 'monitoring')));
  });

  test('defaults run two parallel replicas behind a PDB, with the stack rules of Prometheus and Thanos only', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus');
    const manifests = synth(chart);
    // THEN
    const sts = find(manifests, 'StatefulSet', 'prometheus');
    expect(sts.spec).toEqual(expect.objectContaining({ replicas: 2, serviceName: 'prometheus-headless', podManagementPolicy: 'Parallel' }));
    expect(find(manifests, 'PodDisruptionBudget', 'prometheus').spec.maxUnavailable).toBe(1);
    // No Alertmanager and no Pushgateway wired: none of their rules, and no alerting section.
    const rules = parse(find(manifests, 'ConfigMap', 'prometheus-rules').data['rules.yaml']);
    expect(rules.groups.map((g: any) => g.name)).toEqual(['stack-prometheus', 'stack-thanos']);
    expect(parse(find(manifests, 'ConfigMap', 'prometheus-config').data['prometheus.yml']).alerting).toBeUndefined();
  });

  test('every replica carries a distinct replica external label taken from its pod name', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', { replicas: 3, externalLabels: { cluster: 'eu-1' } });
    const manifests = synth(chart);
    // THEN the label references the pod name, which each pod gets from the downward API
    const config = parse(prom.renderConfig());
    expect(config.global.external_labels).toEqual({ cluster: 'eu-1', replica: '${POD_NAME}' });
    const sts = find(manifests, 'StatefulSet', 'prometheus');
    expect(sts.spec.replicas).toBe(3);
    expect(container(sts, 'prometheus').env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  test('retention, lifecycle and no admin API by default', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { retention: Duration.days(14) });
    const args: string[] = container(find(synth(chart), 'StatefulSet', 'prometheus'), 'prometheus').args;
    // THEN
    expect(flagValues(args, '--storage.tsdb.retention.time')).toEqual(['14d']);
    expect(args).toContain('--web.enable-lifecycle');
    expect(args).not.toContain('--web.enable-admin-api');
    // Without object storage the sidecar ships nothing, so local compaction stays on.
    expect(flagValues(args, '--storage.tsdb.min-block-duration')).toEqual([]);
  });

  test('2h blocks when the Thanos sidecar uploads to object storage', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { thanos: { objectStorage: ObjectStorage.fromSecret('thanos-objstore') } });
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');
    // THEN
    const args: string[] = container(sts, 'prometheus').args;
    expect(flagValues(args, '--storage.tsdb.min-block-duration')).toEqual(['2h']);
    expect(flagValues(args, '--storage.tsdb.max-block-duration')).toEqual(['2h']);
    expect(flagValues(container(sts, 'thanos-sidecar').args, '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
    expect(sts.spec.template.spec.volumes).toContainEqual({
      name: 'objstore', secret: { secretName: 'thanos-objstore', items: [{ key: 'objstore.yml', path: 'objstore.yml' }] },
    });
  });

  test('data lives on a PersistentVolumeClaim template, never hostPath', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { storage: { size: Size.gibibytes(100), storageClassName: 'fast' } });
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');
    // THEN
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '100Gi' } } },
    })]);
    expect(JSON.stringify(sts)).not.toContain('hostPath');
  });

  test('the thanos sidecar and reloader run in the pod and see the data and config', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus' });
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');
    // THEN
    const sidecar = container(sts, 'thanos-sidecar');
    // The sidecar calls Prometheus' API below its route prefix.
    expect(flagValues(sidecar.args, '--prometheus.url')).toEqual(['http://127.0.0.1:9090/prometheus']);
    expect(flagValues(sidecar.args, '--tsdb.path')).toEqual(['/prometheus']);
    const reloader = container(sts, 'config-reloader');
    expect(flagValues(reloader.args, '--reload-url')).toEqual(['http://127.0.0.1:9090/prometheus/-/reload']);
    expect(flagValues(reloader.args, '--watched-dir')).toEqual(['/etc/prometheus/config', '/etc/prometheus/rules']);
  });

  test('RBAC is read-only and bound to the ServiceAccount in its real namespace', () => {
    // GIVEN
    const { chart } = givenChart('observability');
    // WHEN
    new Prometheus(chart, 'prometheus');
    const manifests = synth(chart);
    // THEN
    const role = find(manifests, 'ClusterRole', 'observability-prometheus');
    const verbs = new Set(role.rules.flatMap((r: any) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(JSON.stringify(role.rules)).not.toMatch(/secrets|configmaps/);
    expect(role.metadata.namespace).toBeUndefined();
    const binding = find(manifests, 'ClusterRoleBinding', 'observability-prometheus');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'observability' }]);
  });

  test('alerts go to every Alertmanager pod and the Pushgateway is scraped with honor_labels', () => {
    // GIVEN
    const { chart } = givenChart();
    const am = new Alertmanager(chart, 'alertmanager', { replicas: 3, routePrefix: '/alertmanager' });
    const pgw = new Pushgateway(chart, 'pushgateway');
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', { alertmanagers: [am], pushgateways: [pgw] });
    const config = parse(prom.renderConfig());
    // THEN
    expect(config.alerting.alertmanagers).toEqual([{
      api_version: 'v2',
      path_prefix: '/alertmanager',
      static_configs: [{
        targets: [0, 1, 2].map(i => `alertmanager-${i}.alertmanager-headless.monitoring.svc:9093`),
      }],
    }]);
    const pushJob = config.scrape_configs.find((j: any) => j.job_name === 'pushgateway');
    expect(pushJob).toEqual({
      job_name: 'pushgateway',
      honor_labels: true,
      metrics_path: '/metrics',
      static_configs: [{ targets: ['pushgateway.monitoring.svc:9091'] }],
    });
  });

  test('exposes its sidecars as a Store API through the headless Service SRV records', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus');
    const headless = find(synth(chart), 'Service', 'prometheus-headless');
    // THEN
    expect(prom.storeApiAddress).toBe('dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.ports).toContainEqual({ name: 'grpc', port: 10901, targetPort: 'grpc' });
  });

  test('addAlertmanager throws on duplicates', () => {
    // GIVEN
    const { chart } = givenChart();
    const am = new Alertmanager(chart, 'alertmanager');
    const prom = new Prometheus(chart, 'prometheus', { alertmanagers: [am] });
    // WHEN / THEN
    expect(() => prom.addAlertmanager(am)).toThrow("test/prometheus: invalid 'alertmanagers': 'test/alertmanager' is already added");
  });

  test('fails when used as a Store API without its sidecar', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', { thanos: { enabled: false } });
    // THEN
    expect(() => prom.storeApiAddress).toThrow(/test\/prometheus: invalid 'thanos.enabled': is false, so this Prometheus is not a Store API/);
  });

  test.each([
    ['v3.5.5', ['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=43520MB'], undefined],
    ['v3.14.0', [], { tsdb: { retention: { time: '30d', size: '43520MB' } } }],
    ['v2.55.1', ['--storage.tsdb.retention.time=30d', '--storage.tsdb.retention.size=43520MB', '--enable-feature=expand-external-labels'], undefined],
  ])('renders retention and feature flags the way Prometheus %s understands', (tag, flags, storage) => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', {
      image: ContainerImage.of('quay.io/prometheus/prometheus', tag), retention: Duration.days(30),
    });
    const args: string[] = container(find(synth(chart), 'StatefulSet', 'prometheus'), 'prometheus').args;
    // THEN
    expect(args.filter(a => a.startsWith('--storage.tsdb.retention') || a.startsWith('--enable-feature'))).toEqual(flags);
    expect(parse(prom.renderConfig()).storage).toEqual(storage);
  });

  test('namespaced discovery gets a Role per namespace and no cluster-wide access', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', { discovery: DiscoveryScope.namespaces(['monitoring', 'shop']) });
    const manifests = synth(chart);
    // THEN
    expect(all(manifests, 'ClusterRole')).toEqual([]);
    expect(all(manifests, 'ClusterRoleBinding')).toEqual([]);
    const roles = all(manifests, 'Role');
    expect(roles.map(r => `${r.metadata.namespace}/${r.metadata.name}`)).toEqual(['monitoring/monitoring-prometheus', 'shop/monitoring-prometheus']);
    expect(JSON.stringify(roles)).not.toMatch(/nodes|secrets/);
    const bindings = all(manifests, 'RoleBinding');
    expect(bindings.map(b => b.subjects)).toEqual([0, 1].map(() => [{ kind: 'ServiceAccount', name: 'prometheus', namespace: 'monitoring' }]));
    const pods = parse(prom.renderConfig()).scrape_configs.find((j: any) => j.job_name === 'kubernetes-pods');
    expect(pods.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['monitoring', 'shop'] } }]);
  });

  test.each([
    ['a node job', { jobName: 'nodes', kubernetesSd: [{ role: KubernetesRole.NODE }] }, "scrapeJobs[nodes].kubernetesSd[0].role': role 'node' needs cluster-wide discovery"],
    ['an all-namespaces job', { jobName: 'pods', kubernetesSd: [{ role: KubernetesRole.POD }] }, "scrapeJobs[pods].kubernetesSd[0].namespaces': discovery is limited to shop"],
    ['a job in another namespace', { jobName: 'pods', kubernetesSd: [{ role: KubernetesRole.POD, namespaces: ['kube-system'] }] }, "scrapeJobs[pods].kubernetesSd[0].namespaces': kube-system outside the discovery scope shop"],
  ])('fails when namespaced discovery meets %s', (_name, job, message) => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'prometheus', { discovery: DiscoveryScope.namespaces(['shop']), annotationDiscovery: false, scrapeJobs: [job] });
    // THEN
    expect(() => synth(chart)).toThrow(`test/prometheus: invalid '${message}`);
  });

  test('size-based retention defaults to 85% of the volume, and can be set', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Prometheus(chart, 'default', { storage: { size: Size.gibibytes(100) } });
    new Prometheus(chart, 'explicit', { retentionSize: Size.gibibytes(20) });
    const manifests = synth(chart);
    // THEN
    const flag = (name: string) => flagValues(container(find(manifests, 'StatefulSet', name), 'prometheus').args, '--storage.tsdb.retention.size');
    expect(flag('default')).toEqual(['87040MB']);
    expect(flag('explicit')).toEqual(['20480MB']);
  });

  test('fails when size-based retention exceeds the volume', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Prometheus(chart, 'prometheus', { retentionSize: Size.gibibytes(60) }))
      .toThrow("test/prometheus: invalid 'retentionSize': 61440MiB is more than the 51200MiB volume");
  });

  test('the default scrape timeout never exceeds a short scrape interval', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const prom = new Prometheus(chart, 'prometheus', { scrapeInterval: Duration.seconds(5) });
    // THEN
    expect(parse(prom.renderConfig()).global).toEqual(expect.objectContaining({ scrape_interval: '5s', scrape_timeout: '5s' }));
  });
});
