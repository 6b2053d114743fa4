import { Chart, Duration } from 'cdk8s';
import { parse } from 'yaml';
import { BlackboxExporter, BlackboxModule, Prometheus, StackDefaultDenyPolicy } from '../../lib';
import { checkPolicies } from '../../lib/policy/check-policies';
import { container, find, flagValues, givenChart, synth, testApp } from '../support/synth';

/** The scrape job named `name` in the Prometheus' rendered config. */
function job(prometheus: Prometheus, name: string): any {
  const found = parse(prometheus.renderConfig()).scrape_configs.find((j: any) => j.job_name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

describe('BlackboxExporter', () => {
  test('two spread replicas with a disruption budget, its config in a ConfigMap it reloads itself', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new BlackboxExporter(chart, 'blackbox-exporter');
    const manifests = synth(chart);
    const deployment = find(manifests, 'Deployment', 'blackbox-exporter');
    const c = container(deployment, 'blackbox-exporter');
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/blackbox-exporter-config',
      'Deployment/blackbox-exporter',
      'Service/blackbox-exporter',
      'PodDisruptionBudget/blackbox-exporter',
      'NetworkPolicy/blackbox-exporter',
    ]);
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(c.args).toEqual(['--config.file=/etc/blackbox-exporter/blackbox.yml', '--config.enable-auto-reload', '--web.listen-address=:9115']);
    expect(c.image).toBe('quay.io/prometheus/blackbox-exporter:v0.28.0');
    expect(deployment.spec.template.spec.containers).toHaveLength(1);
    expect(find(manifests, 'ConfigMap', 'blackbox-exporter-config').data['blackbox.yml']).toBe('modules: {}\n');
    expect(deployment.spec.template.spec.securityContext.sysctls).toBeUndefined();
  });

  test('renders typed modules as the exporter\'s config has them', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const exporter = new BlackboxExporter(chart, 'bb', {
      modules: [
        BlackboxModule.http({ name: 'http_ok', validStatusCodes: [200, 204], method: 'HEAD', failIfNotSsl: true, failIfBodyNotMatchesRegexp: ['ok'], timeout: Duration.seconds(5) }),
        BlackboxModule.tcp({ name: 'smtp', tls: false, queryResponse: [{ expect: '^220' }, { send: 'QUIT\r\n' }] }),
        BlackboxModule.dns({ queryName: 'kubernetes.default.svc.cluster.local', queryType: 'A', transportProtocol: 'tcp' }),
        BlackboxModule.grpc({ tls: true, insecureSkipVerify: true, preferredIpProtocol: 'ip4' }),
        BlackboxModule.icmp({ payloadSize: 16 }),
      ],
    });
    // THEN
    expect(parse(exporter.renderConfig())).toEqual({
      modules: {
        http_ok: {
          prober: 'http', timeout: '5s',
          http: { method: 'HEAD', valid_status_codes: [200, 204], fail_if_not_ssl: true, fail_if_body_not_matches_regexp: ['ok'] },
        },
        smtp: { prober: 'tcp', tcp: { tls: false, query_response: [{ expect: '^220' }, { send: 'QUIT\r\n' }] } },
        dns: { prober: 'dns', dns: { query_name: 'kubernetes.default.svc.cluster.local', query_type: 'A', transport_protocol: 'tcp' } },
        grpc: { prober: 'grpc', grpc: { preferred_ip_protocol: 'ip4', tls: true, tls_config: { insecure_skip_verify: true } } },
        icmp: { prober: 'icmp', icmp: { payload_size: 16 } },
      },
    });
    expect(exporter.modules.map(m => m.prober)).toEqual(['http', 'tcp', 'dns', 'grpc', 'icmp']);
  });

  test('an ICMP module opens unprivileged ICMP sockets to the pod\'s group through a safe sysctl, with no capability', () => {
    // GIVEN
    const { chart } = givenChart();
    const exporter = new BlackboxExporter(chart, 'bb', { runAs: { group: 2000 } });
    // WHEN an ICMP module is added after construction
    exporter.addModule(BlackboxModule.icmp());
    const deployment = find(synth(chart), 'Deployment', 'bb');
    // THEN
    expect(deployment.spec.template.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ping_group_range', value: '2000 2000' }]);
    expect(container(deployment, 'blackbox-exporter').securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('adding the same module twice changes nothing', () => {
    // GIVEN
    const { chart } = givenChart();
    const exporter = new BlackboxExporter(chart, 'bb', { modules: [BlackboxModule.http()] });
    // WHEN
    exporter.addModule(BlackboxModule.http());
    // THEN
    expect(exporter.modules.map(m => m.name)).toEqual(['http_2xx']);
  });

  test('passes the policy with every rule, ICMP included', () => {
    // GIVEN
    const { chart } = givenChart();
    new StackDefaultDenyPolicy(chart, 'default-deny');
    new BlackboxExporter(chart, 'bb');
    // WHEN
    new Prometheus(chart, 'prometheus').probe(['10.0.0.1'], BlackboxModule.icmp());
    // THEN
    expect(checkPolicies(synth(chart))).toEqual([]);
  });
});

describe('Prometheus.probe', () => {
  test('adds the black-box job: target as the target parameter and instance, the exporter as the address, the module as a parameter', () => {
    // GIVEN a stack with an exporter
    const { chart } = givenChart();
    const exporter = new BlackboxExporter(chart, 'blackbox-exporter');
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN
    prometheus.probe(['https://example.com/health', 'http://web.shop.svc:8080/'], BlackboxModule.http(), { labels: { team: 'web' }, scrapeInterval: Duration.minutes(1) });
    // THEN
    expect(job(prometheus, 'blackbox-http_2xx')).toEqual({
      job_name: 'blackbox-http_2xx',
      scrape_interval: '1m',
      metrics_path: '/probe',
      params: { module: ['http_2xx'] },
      static_configs: [{ targets: ['https://example.com/health', 'http://web.shop.svc:8080/'], labels: { team: 'web' } }],
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target', action: 'replace' },
        { source_labels: ['__param_target'], target_label: 'instance', action: 'replace' },
        { target_label: '__address__', replacement: 'blackbox-exporter.monitoring.svc:9115', action: 'replace' },
      ],
    });
    expect(exporter.module('http_2xx')).toBeDefined();
    expect(parse(exporter.renderConfig()).modules).toEqual({ http_2xx: { prober: 'http' } });
  });

  test('a module of the exporter can be named, and jobs named apart', () => {
    // GIVEN
    const { chart } = givenChart();
    new BlackboxExporter(chart, 'bb', { modules: [BlackboxModule.tcp()] });
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN
    prometheus.probe(['db.example.com:5432'], 'tcp_connect', { jobName: 'postgres' });
    prometheus.probe(['cache.example.com:6379'], 'tcp_connect', { jobName: 'redis' });
    // THEN
    expect(job(prometheus, 'postgres').params).toEqual({ module: ['tcp_connect'] });
    expect(job(prometheus, 'redis').static_configs).toEqual([{ targets: ['cache.example.com:6379'] }]);
    expect(() => prometheus.probe(['x.example.com:1'], 'tcp_connect', { jobName: 'redis' })).toThrow(/invalid 'scrapeJobs': a job named 'redis' already exists/);
  });

  test('the NetworkPolicies: Prometheus may reach the exporter, the exporter the probed ports anywhere', () => {
    // GIVEN
    const { chart } = givenChart();
    new BlackboxExporter(chart, 'bb');
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN URLs with and without ports, host:port, a DNS server and a gRPC target are probed
    prometheus.probe(['https://example.com', 'http://example.com', 'http://web.shop.svc:8080/x', 'https://api.example.com:8443/'], BlackboxModule.http());
    prometheus.probe(['db.example.com:5432', '[2001:db8::1]:22'], BlackboxModule.tcp());
    prometheus.probe(['10.96.0.10', '1.1.1.1:5353'], BlackboxModule.dns({ queryName: 'example.com' }));
    prometheus.probe(['grpc.example.com:9090', 'https://secure.example.com'], BlackboxModule.grpc());
    const policy = find(synth(chart), 'NetworkPolicy', 'bb');
    // THEN
    expect(policy.spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } } }],
      ports: [{ protocol: 'TCP', port: 9115 }],
    }]);
    expect(policy.spec.egress).toEqual([
      { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] },
      {
        ports: [443, 80, 8080, 8443, 5432, 22].map(port => ({ protocol: 'TCP', port }))
          .concat([{ protocol: 'UDP', port: 53 }, { protocol: 'UDP', port: 5353 }, { protocol: 'TCP', port: 9090 }]),
      },
    ]);
  });

  test('ICMP opens egress to every port and protocol: NetworkPolicies cannot name ICMP', () => {
    // GIVEN
    const { chart } = givenChart();
    new BlackboxExporter(chart, 'bb');
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN
    prometheus.probe(['https://example.com'], BlackboxModule.http());
    prometheus.probe(['gateway.example.com'], BlackboxModule.icmp());
    // THEN
    expect(find(synth(chart), 'NetworkPolicy', 'bb').spec.egress).toEqual([{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }, {}]);
  });

  test.each<[string, BlackboxModule, string]>([
    ['a tcp target without port', BlackboxModule.tcp(), 'db.example.com'],
    ['an icmp target with a port', BlackboxModule.icmp(), 'gateway.example.com:80'],
    ['a grpc target with a path', BlackboxModule.grpc(), 'http://grpc.example.com:9090/x'],
    ['a dns server with a bad port', BlackboxModule.dns({ queryName: 'example.com' }), '10.0.0.1:70000'],
    ['an http target of another scheme', BlackboxModule.http(), 'ftp://example.com'],
  ])('refuses %s, naming the target', (_what, module, target) => {
    // GIVEN
    const { chart } = givenChart();
    new BlackboxExporter(chart, 'bb');
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN / THEN
    expect(() => prometheus.probe(['https://example.com'].filter(() => module.prober === 'http').concat(target), module))
      .toThrow(`test/prometheus: invalid 'probe.targets[${module.prober === 'http' ? 1 : 0}]': '${target}' must be`);
  });

  test('probes through an exporter of another stack, named in the options, which then admits this Prometheus', () => {
    // GIVEN an exporter in a shared chart, and a Prometheus in another
    const app = testApp();
    const shared = new Chart(app, 'shared', { namespace: 'probes' });
    const exporter = new BlackboxExporter(shared, 'bb');
    const prometheus = new Prometheus(new Chart(app, 'team', { namespace: 'team' }), 'prometheus');
    // WHEN
    prometheus.probe(['https://example.com'], BlackboxModule.http(), { exporter });
    // THEN
    expect(job(prometheus, 'blackbox-http_2xx').relabel_configs[2]).toEqual({ target_label: '__address__', replacement: 'bb.probes.svc:9115', action: 'replace' });
    expect(find(synth(shared), 'NetworkPolicy', 'bb').spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' } },
      }],
      ports: [{ protocol: 'TCP', port: 9115 }],
    }]);
  });

  test('the exporter\'s own metrics are scraped by its stack\'s Prometheus', () => {
    // GIVEN
    const { chart } = givenChart();
    new BlackboxExporter(chart, 'blackbox-exporter');
    // WHEN
    const prometheus = new Prometheus(chart, 'prometheus');
    // THEN
    expect(job(prometheus, 'blackbox-exporter').relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], regex: 'blackbox-exporter;http', action: 'keep',
    });
    expect(flagValues(container(find(synth(chart), 'Deployment', 'blackbox-exporter'), 'blackbox-exporter').args, '--web.listen-address')).toEqual([':9115']);
  });
});
