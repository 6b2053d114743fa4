import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import {
  Alertmanager, MonitoringIngress, ObjectStorage, PrerequisiteKind, Prerequisites, Prometheus, RuleGroup, ThanosQuerier, ThanosQueryFrontend, ThanosRuler,
} from '../../lib';
import { K8sSchema } from '../support/k8s-schema';
import { container, find, flagValues, givenChart, Manifest, synth } from '../support/synth';

const identity = {
  'app.kubernetes.io/component': 'rule-evaluation-engine',
  'app.kubernetes.io/instance': 'ruler',
  'app.kubernetes.io/managed-by': 'cdk8s',
  'app.kubernetes.io/name': 'thanos-rule',
  'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
};

/** A rule over every Prometheus the querier reaches: the kind of rule that belongs in a Ruler. */
const GLOBAL: RuleGroup = {
  name: 'global',
  rules: [
    { record: 'global:up:sum', expr: 'sum(up)' },
    { alert: 'GlobalTargetsDown', expr: 'sum(up) == 0', for: Duration.minutes(5), labels: { severity: 'critical' } },
  ],
};

/**
 * The yaml tags the two config files may use, from Thanos v0.42.4 (both
 * parsed with yaml.UnmarshalStrict, so any other key is a startup error):
 * pkg/clientconfig/config.go `Config` (HTTPConfig inline, `grpc_config`),
 * pkg/clientconfig/http.go `HTTPConfig` (`http_config`, HTTPEndpointsConfig
 * inline: `static_configs`, `file_sd_configs`, `scheme`, `path_prefix`),
 * pkg/alert/config.go `AlertmanagerConfig` (`http_config`, the endpoint
 * fields inline, `timeout`, `api_version`).
 */
const QUERY_CONFIG_KEYS = ['http_config', 'static_configs', 'file_sd_configs', 'scheme', 'path_prefix', 'grpc_config'];
const ALERTMANAGER_CONFIG_KEYS = ['http_config', 'static_configs', 'file_sd_configs', 'scheme', 'path_prefix', 'timeout', 'api_version'];

function stack(options: { alertmanager?: boolean } = {}) {
  const { app, chart } = givenChart();
  const prometheus = new Prometheus(chart, 'prometheus');
  const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus], routePrefix: '/thanos' });
  const alertmanager = options.alertmanager === false ? undefined : new Alertmanager(chart, 'alertmanager', { routePrefix: '/alertmanager' });
  return { app, chart, prometheus, querier, alertmanager };
}

const rulerArgs = (manifests: Manifest[]): string[] => container(find(manifests, 'StatefulSet', 'ruler'), 'thanos-rule').args;

describe('ThanosRuler', () => {
  test('renders its objects, all labelled: headless Service, rule and config ConfigMaps, StatefulSet, PDB, NetworkPolicy', () => {
    // GIVEN
    const { chart, querier, alertmanager } = stack();
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager!], ruleGroups: [GLOBAL] });
    const manifests = synth(chart).filter(m => m.metadata.labels?.['app.kubernetes.io/name'] === 'thanos-rule');
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/ruler-rules',
      'ConfigMap/ruler-config',
      'Service/ruler-headless',
      'StatefulSet/ruler',
      'PodDisruptionBudget/ruler',
      'NetworkPolicy/ruler',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => identity));
    const sts = find(manifests, 'StatefulSet', 'ruler');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('ruler-headless');
    expect(sts.spec.volumeClaimTemplates.map((t: any) => [t.metadata.name, t.spec.resources.requests.storage])).toEqual([['data', '10Gi']]);
    expect(find(manifests, 'PodDisruptionBudget', 'ruler').spec.maxUnavailable).toBe(1);
    expect(find(manifests, 'Service', 'ruler-headless').spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'grpc', port: 10901 }, { name: 'http', port: 10902 }] });
  });

  test('renders exactly these container args for a querier under /thanos and an Alertmanager', () => {
    // GIVEN
    const { chart, querier, alertmanager } = stack();
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager!], ruleGroups: [GLOBAL] });
    const manifests = synth(chart);
    // THEN
    expect(rulerArgs(manifests)).toEqual([
      'rule',
      '--log.level=info',
      '--log.format=logfmt',
      '--grpc-address=0.0.0.0:10901',
      '--http-address=0.0.0.0:10902',
      '--data-dir=/var/thanos/rule',
      '--tsdb.retention=2d',
      '--rule-file=/etc/thanos/rules/*.yaml',
      '--eval-interval=1m',
      '--query.config-file=/etc/thanos/ruler/query.yaml',
      '--alertmanagers.config-file=/etc/thanos/ruler/alertmanagers.yaml',
      '--alert.query-url=http://querier.monitoring.svc:10902/thanos',
      '--alert.label-drop=replica',
      '--label=replica="$(POD_NAME)"',
      '--label=ruler_cluster="ruler"',
    ]);
    const pod = find(manifests, 'StatefulSet', 'ruler').spec.template.spec;
    expect(container(find(manifests, 'StatefulSet', 'ruler'), 'thanos-rule').env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    // AND the reloader re-reads the rules when their ConfigMap changes
    expect(container(find(manifests, 'StatefulSet', 'ruler'), 'config-reloader').args).toEqual([
      '--listen-address=:8080', '--reload-url=http://127.0.0.1:10902/-/reload', '--watched-dir=/etc/thanos/rules',
    ]);
    expect(pod.volumes).toEqual([
      { name: 'rules', configMap: { name: 'ruler-rules' } },
      { name: 'config', configMap: { name: 'ruler-config' } },
    ]);
  });

  test('queries the querier through --query.config-file in the v0.42.4 format: host, scheme and path prefix', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    // WHEN
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    const manifests = synth(chart);
    // THEN
    const file = find(manifests, 'ConfigMap', 'ruler-config').data['query.yaml'];
    expect(file).toBe(ruler.renderQueryConfig());
    const config = parse(file);
    expect(config).toEqual([{ static_configs: ['querier.monitoring.svc:10902'], scheme: 'http', path_prefix: '/thanos' }]);
    for (const entry of config) expect(QUERY_CONFIG_KEYS).toEqual(expect.arrayContaining(Object.keys(entry)));
    // AND without an Alertmanager there is no alerting config flag (Thanos only warns)
    expect(rulerArgs(manifests).some(a => a.startsWith('--alertmanagers.'))).toBe(false);
    // AND --query/--query.sd-files are not mixed in: Thanos refuses them next to --query.config*
    expect(rulerArgs(manifests).filter(a => /^--(query|query\.sd-files|grpc-query-endpoint)=/.test(a))).toEqual([]);
  });

  test('sends alerts to every Alertmanager replica, under its route prefix, in the v0.42.4 alerting format', () => {
    // GIVEN
    const { chart, querier, alertmanager } = stack();
    const second = new Alertmanager(chart, 'am2', { replicas: 2 });
    // WHEN
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager!], ruleGroups: [GLOBAL] });
    ruler.addAlertmanager(second);
    const config = parse(find(synth(chart), 'ConfigMap', 'ruler-config').data['alertmanagers.yaml']);
    // THEN
    expect(config).toEqual({
      alertmanagers: [
        {
          static_configs: [0, 1, 2].map(i => `alertmanager-${i}.alertmanager-headless.monitoring.svc:9093`),
          scheme: 'http', path_prefix: '/alertmanager', timeout: '10s', api_version: 'v2',
        },
        { static_configs: [0, 1].map(i => `am2-${i}.am2-headless.monitoring.svc:9093`), scheme: 'http', timeout: '10s', api_version: 'v2' },
      ],
    });
    for (const entry of config.alertmanagers) expect(ALERTMANAGER_CONFIG_KEYS).toEqual(expect.arrayContaining(Object.keys(entry)));
    expect(() => ruler.addAlertmanager(second)).toThrow("test/ruler: invalid 'alertmanagers': 'test/am2' is already added");
  });

  test('a change of the query or Alertmanager config, read at start only, changes the pod template checksum', () => {
    // GIVEN two stacks that differ only in their Alertmanager's replicas
    const checksum = (replicas: number) => {
      const { chart, querier } = stack({ alertmanager: false });
      const am = new Alertmanager(chart, 'alertmanager', { replicas });
      new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [am], ruleGroups: [GLOBAL] });
      return find(synth(chart), 'StatefulSet', 'ruler').spec.template.metadata.annotations['checksum/config'];
    };
    // WHEN / THEN
    expect(checksum(3)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(3)).toBe(checksum(3));
    expect(checksum(2)).not.toBe(checksum(3));
  });

  test('labels: the replica label holds the pod name, user labels are Go-quoted and their $ is not expanded by Kubernetes', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    // WHEN
    new ThanosRuler(chart, 'ruler', {
      queriers: [querier], ruleGroups: [GLOBAL], replicaLabel: 'ruler_replica',
      externalLabels: { cluster: 'eu-1', note: 'say "hi" for $(HOME)' },
    });
    const args = rulerArgs(synth(chart));
    // THEN
    expect(flagValues(args, '--label')).toEqual(['ruler_replica="$(POD_NAME)"', 'cluster="eu-1"', 'note="say \\"hi\\" for $$(HOME)"']);
    expect(flagValues(args, '--alert.label-drop')).toEqual(['ruler_replica']);
  });

  test('is a Store API: a querier that adds it reaches every pod through DNS SRV and de-duplicates on its replica label', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    // WHEN
    querier.addStore(ruler);
    const manifests = synth(chart);
    // THEN
    expect(ruler.storeApiAddress).toBe('dnssrv+_grpc._tcp.ruler-headless.monitoring.svc');
    expect(ruler.storeApiPort).toEqual({ name: 'grpc', port: 10901 });
    expect(ruler.replicaLabel).toBe('replica');
    expect(parse(querier.renderEndpoints()).endpoints).toContainEqual({ address: 'dnssrv+_grpc._tcp.ruler-headless.monitoring.svc' });
    expect(flagValues(container(find(manifests, 'Deployment', 'querier'), 'thanos-query').args, '--query.replica-label')).toEqual(['replica']);
  });

  test('NetworkPolicy: exactly the wiring (DNS, its querier and Alertmanager; the querier that uses it, the Prometheus that scrapes it)', () => {
    // GIVEN
    const { chart, querier, alertmanager } = stack();
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager!], ruleGroups: [GLOBAL] });
    // WHEN
    querier.addStore(ruler);
    const manifests = synth(chart);
    // THEN
    const pods = (name: string, instance = name) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance } } });
    const tcp = (...ports: number[]) => ports.map(port => ({ port, protocol: 'TCP' }));
    const policy = find(manifests, 'NetworkPolicy', 'ruler').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [pods('thanos-query', 'querier')], ports: tcp(10902) },
      { to: [pods('alertmanager')], ports: tcp(9093) },
    ]);
    expect(policy.ingress).toEqual([
      { from: [pods('prometheus')], ports: tcp(10902, 8080) },
      { from: [pods('thanos-query', 'querier')], ports: tcp(10901) },
    ]);
    // AND the other ends allow it: the querier's egress to its gRPC port, the querier's and Alertmanager's ingress
    expect(find(manifests, 'NetworkPolicy', 'querier').spec.egress).toContainEqual({ to: [pods('thanos-rule', 'ruler')], ports: tcp(10901) });
    expect(find(manifests, 'NetworkPolicy', 'querier').spec.ingress).toContainEqual({ from: [pods('thanos-rule', 'ruler')], ports: tcp(10902) });
    expect(find(manifests, 'NetworkPolicy', 'alertmanager').spec.ingress).toContainEqual({ from: [pods('thanos-rule', 'ruler')], ports: tcp(9093) });
  });

  test("its stack's Prometheus scrapes every pod by its stable name, and the reloader", () => {
    // GIVEN
    const { chart, prometheus, querier } = stack({ alertmanager: false });
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    const jobs = parse(prometheus.renderConfig()).scrape_configs;
    // THEN
    expect(jobs.find((j: any) => j.job_name === 'thanos-rule-ruler').static_configs).toEqual([
      { targets: ['ruler-0.ruler-headless.monitoring.svc:10902', 'ruler-1.ruler-headless.monitoring.svc:10902'] },
    ]);
    expect(jobs.find((j: any) => j.job_name === 'thanos-rule-ruler-reloader').static_configs).toEqual([
      { targets: ['ruler-0.ruler-headless.monitoring.svc:8080', 'ruler-1.ruler-headless.monitoring.svc:8080'] },
    ]);
  });

  test('uploads its blocks to object storage when given a bucket, egress to the bucket port', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL], objectStorage: ObjectStorage.fromSecret('thanos-objstore', 'objstore.yml', { ports: [9000] }) });
    const manifests = synth(chart);
    // THEN
    const sts = find(manifests, 'StatefulSet', 'ruler');
    expect(flagValues(rulerArgs(manifests), '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'objstore', secret: { secretName: 'thanos-objstore', items: [{ key: 'objstore.yml', path: 'objstore.yml' }] } });
    expect(container(sts, 'thanos-rule').volumeMounts).toContainEqual({ name: 'objstore', mountPath: '/etc/thanos/objstore', readOnly: true });
    expect(find(manifests, 'NetworkPolicy', 'ruler').spec.egress).toContainEqual({ ports: [{ port: 9000, protocol: 'TCP' }] });
    // AND the bucket's Secret is a prerequisite of the Ruler
    const secret = Prerequisites.of(chart).find(p => p.kind === PrerequisiteKind.SECRET && p.name === 'thanos-objstore');
    expect(secret).toMatchObject({ keys: ['objstore.yml'], neededBy: ['test/ruler'] });
  });

  test('rules: rendered in the Prometheus rule file format, PromQL checked when added, duplicates refused', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    // WHEN
    ruler.addRuleGroup({ name: 'more', interval: Duration.seconds(30), rules: [{ record: 'global:up:count', expr: 'count(up)' }] });
    // THEN
    expect(parse(find(synth(chart), 'ConfigMap', 'ruler-rules').data['rules.yaml'])).toEqual({
      groups: [
        { name: 'global', rules: [{ record: 'global:up:sum', expr: 'sum(up)' }, { alert: 'GlobalTargetsDown', expr: 'sum(up) == 0', for: '5m', labels: { severity: 'critical' } }] },
        { name: 'more', interval: '30s', rules: [{ record: 'global:up:count', expr: 'count(up)' }] },
      ],
    });
    expect(ruler.ruleGroups.map(g => g.name)).toEqual(['global', 'more']);
    expect(() => ruler.addRuleGroup(GLOBAL)).toThrow("test/ruler: invalid 'ruleGroups': a group named 'global' already exists");
    expect(() => ruler.addRuleGroup({ name: 'bad', rules: [{ alert: 'Bad', expr: 'sum(up' }] })).toThrow("test/ruler: invalid 'ruleGroups[bad].rules[0].expr'");
  });

  test("alert Source links point at the querier's public URL once an Ingress exposes it", () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', querier });
    // THEN
    expect(flagValues(rulerArgs(synth(chart)), '--alert.query-url')).toEqual(['https://m.example.com/thanos']);
    expect(ruler.alertQueryUrl).toBe('https://m.example.com/thanos');
  });

  test('may evaluate against a Query Frontend, under the querier prefix it passes through', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    const frontend = new ThanosQueryFrontend(chart, 'frontend', { querier });
    // WHEN
    const ruler = new ThanosRuler(chart, 'ruler', { queriers: [frontend], ruleGroups: [GLOBAL] });
    const manifests = synth(chart);
    // THEN
    expect(parse(ruler.renderQueryConfig())).toEqual([{ static_configs: ['frontend.monitoring.svc:10902'], scheme: 'http', path_prefix: '/thanos' }]);
    expect(find(manifests, 'NetworkPolicy', 'ruler').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'thanos-query-frontend', 'app.kubernetes.io/instance': 'frontend' } } }],
      ports: [{ port: 10902, protocol: 'TCP' }],
    });
  });

  test('restricted pods as the Thanos image user 1001, probes, requests and limits, spread when replicated', () => {
    // GIVEN
    const { chart, querier } = stack({ alertmanager: false });
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], ruleGroups: [GLOBAL] });
    new ThanosRuler(chart, 'single', { queriers: [querier], ruleGroups: [GLOBAL], replicas: 1 });
    const manifests = synth(chart);
    // THEN
    const pod = find(manifests, 'StatefulSet', 'ruler').spec.template.spec;
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, runAsNonRoot: true }));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    const rule = container(find(manifests, 'StatefulSet', 'ruler'), 'thanos-rule');
    expect(rule.image).toBe('quay.io/thanos/thanos:v0.42.4');
    expect(rule.securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }));
    expect(rule.livenessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'http' });
    expect(rule.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'http' });
    expect(rule.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    // AND one replica has neither a disruption budget (it would block drains) nor anti-affinity
    expect(manifests.some(m => m.kind === 'PodDisruptionBudget' && m.metadata.name === 'single')).toBe(false);
    expect(find(manifests, 'StatefulSet', 'single').spec.template.spec.affinity).toBeUndefined();
  });

  test('its objects pass the strict Kubernetes 1.27 schema, with and without a bucket', () => {
    // GIVEN
    const { chart, querier, alertmanager } = stack();
    // WHEN
    new ThanosRuler(chart, 'ruler', { queriers: [querier], alertmanagers: [alertmanager!], ruleGroups: [GLOBAL] });
    new ThanosRuler(chart, 'uploader', { queriers: [querier], ruleGroups: [GLOBAL], objectStorage: ObjectStorage.fromSecret('objstore') });
    const manifests = synth(chart);
    // THEN
    expect(K8sSchema.load().validateAll(manifests)).toEqual([]);
  });
});
