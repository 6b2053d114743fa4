import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import { MonitoringChart, MonitoringChartProps, ObjectStorage, RuleGroup } from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { K8sSchema } from '../support/k8s-schema';
import { container, find, flagValues, Manifest, synth, testApp } from '../support/synth';

const CROSS_CLUSTER: RuleGroup = {
  name: 'cross-cluster',
  rules: [{ alert: 'NoClusterReporting', expr: 'absent(up{job="prometheus"})', for: Duration.minutes(10), labels: { severity: 'critical' } }],
};

const bucket = ObjectStorage.fromSecret('thanos-objstore');

function chartWith(props: Partial<MonitoringChartProps>): { chart: MonitoringChart; manifests: Manifest[] } {
  const app = testApp();
  const chart = new MonitoringChart(app, 'mon', { namespace: 'monitoring', ...props });
  return { chart, manifests: synth(chart) };
}

const pods = (name: string, instance: string) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance } } });

describe('MonitoringChart with the Thanos Ruler and Query Frontend', () => {
  test('both are off by default: the default chart has neither', () => {
    // GIVEN / WHEN
    const { chart, manifests } = chartWith({});
    // THEN
    expect(chart.ruler).toBeUndefined();
    expect(chart.queryFrontend).toBeUndefined();
    expect(manifests.filter(m => /^thanos-(rule|query-frontend)$/.test(m.metadata.labels?.['app.kubernetes.io/name'] ?? ''))).toEqual([]);
  });

  test('an option object switches each on; enabled: false keeps it off', () => {
    // GIVEN / WHEN
    const on = chartWith({ ruler: { ruleGroups: [CROSS_CLUSTER] }, queryFrontend: {} }).chart;
    const off = chartWith({ ruler: { enabled: false, ruleGroups: [CROSS_CLUSTER] }, queryFrontend: { enabled: false } }).chart;
    // THEN
    expect(on.ruler).toBeDefined();
    expect(on.queryFrontend).toBeDefined();
    expect(off.ruler).toBeUndefined();
    expect(off.queryFrontend).toBeUndefined();
  });

  test('the Ruler evaluates against the chart Querier, sends to its Alertmanager, uploads to the sidecars\' bucket, and is one of its stores', () => {
    // GIVEN / WHEN
    const { chart, manifests } = chartWith({ prometheus: { thanos: { objectStorage: bucket } }, ruler: { ruleGroups: [CROSS_CLUSTER] } });
    // THEN
    const ruler = chart.ruler!;
    expect(ruler.queryApis).toEqual([chart.querier]);
    expect(ruler.alertmanagers).toEqual([chart.alertmanager]);
    expect(parse(chart.querier!.renderEndpoints()).endpoints.map((e: any) => e.address)).toEqual([
      'dnssrv+_grpc._tcp.prometheus-headless.monitoring.svc',
      'dnssrv+_grpc._tcp.store-gateway-headless.monitoring.svc',
      'dnssrv+_grpc._tcp.ruler-headless.monitoring.svc',
    ]);
    const args: string[] = container(find(manifests, 'StatefulSet', 'ruler'), 'thanos-rule').args;
    expect(flagValues(args, '--objstore.config-file')).toEqual(['/etc/thanos/objstore/objstore.yml']);
    expect(parse(find(manifests, 'ConfigMap', 'ruler-config').data['query.yaml'])).toEqual([{ static_configs: ['querier.monitoring.svc:10902'], scheme: 'http' }]);
    expect(parse(find(manifests, 'ConfigMap', 'ruler-config').data['alertmanagers.yaml']).alertmanagers[0].static_configs).toHaveLength(3);
    // AND the chart's Prometheus scrapes it
    expect(parse(chart.prometheus!.renderConfig()).scrape_configs.map((j: any) => j.job_name)).toEqual(expect.arrayContaining(['thanos-rule-ruler', 'thanos-rule-ruler-reloader']));
  });

  test('with an Ingress, /thanos goes to the Query Frontend, in front of the Querier serving under /thanos', () => {
    // GIVEN / WHEN
    const { chart, manifests } = chartWith({ queryFrontend: {}, ingress: { host: 'm.example.com', tlsSecretName: 'tls' } });
    // THEN
    const paths = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths;
    expect(paths.find((p: any) => p.path === '/thanos').backend).toEqual({ service: { name: 'query-frontend', port: { name: 'http' } } });
    expect(flagValues(container(find(manifests, 'Deployment', 'querier'), 'thanos-query').args, '--web.route-prefix')).toEqual(['/thanos']);
    expect(chart.queryFrontend!.queryUrl).toBe('http://query-frontend.monitoring.svc:10902/thanos');
    expect(chart.queryFrontend!.externalUrl).toBe('https://m.example.com/thanos');
    // AND the Ingress controller reaches the frontend, not the querier
    const controller = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
    expect(find(manifests, 'NetworkPolicy', 'query-frontend').spec.ingress).toContainEqual({ from: [controller], ports: [{ port: 10902, protocol: 'TCP' }] });
    expect(find(manifests, 'NetworkPolicy', 'querier').spec.ingress).not.toContainEqual(expect.objectContaining({ from: [controller] }));
    expect(find(manifests, 'NetworkPolicy', 'querier').spec.ingress).toContainEqual({ from: [pods('thanos-query-frontend', 'query-frontend')], ports: [{ port: 10902, protocol: 'TCP' }] });
  });

  test("Grafana's datasource, when the chart has Grafana, is the Query Frontend", () => {
    // GIVEN / WHEN a chart with Grafana (its props are another engineer's: passed untyped)
    const props = { queryFrontend: {}, grafana: { adminCredentials: { secretName: 'grafana-admin' } } } as Partial<MonitoringChartProps>;
    const { manifests } = chartWith(props);
    // THEN
    const datasources = parse(find(manifests, 'ConfigMap', 'grafana-datasources').data['datasources.yaml']).datasources;
    expect(datasources.map((d: any) => d.url)).toEqual(['http://query-frontend.monitoring.svc:10902']);
  });

  test('a chart with both and an Ingress passes the policy and the strict Kubernetes 1.27 schema', () => {
    // GIVEN / WHEN
    const { manifests } = chartWith({
      prometheus: { thanos: { objectStorage: bucket } },
      ruler: { ruleGroups: [CROSS_CLUSTER] },
      queryFrontend: {},
      ingress: { host: 'm.example.com', tlsSecretName: 'tls' },
    });
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual(expect.arrayContaining(['StatefulSet/ruler', 'Deployment/query-frontend']));
    expect(checkPolicies(manifests)).toEqual([]);
    expect(K8sSchema.load().validateAll(manifests)).toEqual([]);
  });
});
