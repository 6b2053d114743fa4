// The rendered prometheus.yml and rule file, checked by the real promtool: a
// fixture that uses every config option, generated configurations, and a table
// of broken inputs that must be refused at synth time. Install the tools with `npm run tools`.
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import {
  Alertmanager, DnsRecordType, KubernetesRole, Prometheus, PrometheusProps, Pushgateway, RelabelAction, RelabelRule,
  Scheme, ScrapeJob, ScrapeJobs, SecretFile, TlsVersion,
} from '../../../lib';
import { tempDir } from '../../support/daemon';
import { promtoolCheck } from '../../support/promtool';
import { testApp } from '../../support/synth';

const TIMEOUT_MS = 30_000;

function givenChart(): Chart {
  return new Chart(testApp(), 'test', { namespace: 'monitoring' });
}

/** One relabel rule of every action, valid. */
const EVERY_ACTION: RelabelRule[] = [
  { sourceLabels: ['__meta_kubernetes_pod_label_app'], targetLabel: 'app' },
  { sourceLabels: ['__meta_kubernetes_pod_label_app'], regex: '(?i)web|api', action: RelabelAction.KEEP },
  { sourceLabels: ['__meta_kubernetes_namespace'], regex: 'kube-.*', action: RelabelAction.DROP },
  { sourceLabels: ['__meta_kubernetes_pod_label_a'], targetLabel: '__meta_kubernetes_pod_label_b', action: RelabelAction.KEEP_EQUAL },
  { sourceLabels: ['__meta_kubernetes_pod_label_a'], targetLabel: '__meta_kubernetes_pod_label_c', action: RelabelAction.DROP_EQUAL },
  { sourceLabels: ['__address__'], targetLabel: '__tmp_hash', modulus: 4, action: RelabelAction.HASHMOD },
  { regex: '__meta_kubernetes_pod_label_(.+)', replacement: 'label_$1', action: RelabelAction.LABELMAP },
  { regex: 'label_pod_template_hash', action: RelabelAction.LABELDROP },
  { regex: '__.*|job|instance|app|label_.*|namespace|pod', action: RelabelAction.LABELKEEP },
  { sourceLabels: ['app'], targetLabel: 'app_lower', action: RelabelAction.LOWERCASE },
  { sourceLabels: ['app'], targetLabel: 'app_upper', action: RelabelAction.UPPERCASE },
  { sourceLabels: ['__meta_kubernetes_pod_name', '__meta_kubernetes_pod_container_port_number'], separator: ':', regex: '(.+):(\\d+)', targetLabel: 'endpoint_${2}', replacement: '$1' },
];

/** A scrape job using every scrape option: static targets, every SD, TLS, auth, relabeling. */
const KITCHEN_SINK: ScrapeJob = {
  jobName: 'kitchen-sink',
  scrapeInterval: Duration.seconds(20),
  scrapeTimeout: Duration.seconds(15),
  metricsPath: '/custom/metrics',
  scheme: Scheme.HTTPS,
  honorLabels: true,
  params: { 'format': ['prometheus'], 'collect[]': ['cpu', 'mem'] },
  staticTargets: ['app-0.app.default.svc:8443', 'app-1.app.default.svc:8443'],
  staticLabels: { team: 'payments' },
  kubernetesSd: [
    { role: KubernetesRole.NODE },
    { role: KubernetesRole.POD, namespaces: ['default', 'shop'], selectors: [{ role: KubernetesRole.POD, label: 'app=web' }] },
    { role: KubernetesRole.SERVICE, ownNamespace: true },
    {
      role: KubernetesRole.ENDPOINTS,
      selectors: [{ role: KubernetesRole.SERVICE, label: 'monitored=true' }, { role: KubernetesRole.POD, field: 'status.phase=Running' }],
    },
    { role: KubernetesRole.ENDPOINT_SLICE, namespaces: ['shop'] },
    { role: KubernetesRole.INGRESS, selectors: [{ role: KubernetesRole.INGRESS, label: 'probe=true' }] },
  ],
  fileSd: [{ files: ['/etc/prometheus/targets/*.json', '/etc/prometheus/targets/extra.yaml'], refreshInterval: Duration.minutes(2) }],
  dnsSd: [
    { names: ['_metrics._tcp.app.default.svc.cluster.local'] },
    { names: ['app.default.svc'], type: DnsRecordType.A, port: 9100, refreshInterval: Duration.seconds(30) },
  ],
  consulSd: [{
    server: 'consul.consul.svc:8501',
    services: ['web'],
    tags: ['prod'],
    datacenter: 'dc1',
    scheme: Scheme.HTTPS,
    tokenFile: SecretFile.fromSecret('consul-acl', 'token'),
    allowStale: true,
    refreshInterval: Duration.seconds(60),
    tls: { caFile: SecretFile.fromSecret('consul-acl', 'ca.crt') },
  }],
  relabelings: EVERY_ACTION,
  metricRelabelings: [
    { sourceLabels: ['__name__'], regex: 'go_gc_.*', action: RelabelAction.DROP },
    { regex: 'id', action: RelabelAction.LABELDROP },
  ],
  sampleLimit: 50_000,
  tls: {
    caFile: SecretFile.fromSecret('app-tls', 'ca.crt'),
    certFile: SecretFile.fromSecret('app-tls', 'tls.crt'),
    keyFile: SecretFile.fromSecret('app-tls', 'tls.key'),
    serverName: 'app.default.svc',
    minVersion: TlsVersion.TLS13,
  },
  auth: { basicAuthUsername: 'prometheus', basicAuthPasswordFile: SecretFile.fromSecret('app-basic-auth', 'password') },
};

/** Prometheus props using every config option. */
function everyOption(): PrometheusProps {
  return {
    scrapeInterval: Duration.seconds(20),
    scrapeTimeout: Duration.seconds(15),
    evaluationInterval: Duration.seconds(15),
    externalLabels: { cluster: 'prod', region: 'eu-west-1' },
    alertRelabelings: [
      { sourceLabels: ['severity'], regex: 'info', action: RelabelAction.DROP },
      { targetLabel: 'source', replacement: 'prometheus' },
    ],
    remoteWrite: [
      {
        url: 'https://mimir.example.com/api/v1/push',
        name: 'mimir',
        remoteTimeout: Duration.seconds(20),
        auth: { basicAuthUsernameFile: SecretFile.fromSecret('mimir', 'username'), basicAuthPasswordFile: SecretFile.fromSecret('mimir', 'password') },
        tls: { caFile: SecretFile.fromSecret('mimir', 'ca.crt') },
        queue: {
          capacity: 20_000, minShards: 2, maxShards: 30, maxSamplesPerSend: 5_000,
          batchSendDeadline: Duration.seconds(10), minBackoff: Duration.millis(50), maxBackoff: Duration.seconds(10),
          sampleAgeLimit: Duration.hours(1),
        },
        writeRelabelings: [{ sourceLabels: ['__name__'], regex: '.*:.*', action: RelabelAction.KEEP }],
        sendExemplars: true,
        sendNativeHistograms: true,
        sendMetadata: true,
        metadataSendInterval: Duration.minutes(2),
      },
      { url: 'http://victoria.example.com:8428/api/v1/write', auth: { bearerTokenFile: SecretFile.fromSecret('victoria', 'token') }, sendMetadata: false },
    ],
    remoteRead: [{
      url: 'https://mimir.example.com/prometheus/api/v1/read',
      name: 'mimir-read',
      remoteTimeout: Duration.minutes(2),
      readRecent: true,
      requiredMatchers: { tenant: 'prod' },
      filterExternalLabels: false,
      auth: { bearerTokenFile: SecretFile.fromSecret('mimir', 'token') },
      tls: { caFile: SecretFile.fromSecret('mimir', 'ca.crt'), insecureSkipVerify: false },
    }],
    tsdb: { outOfOrderTimeWindow: Duration.minutes(30) },
    scrapeJobs: [
      KITCHEN_SINK,
      ScrapeJobs.kubelet(),
      ScrapeJobs.cadvisor({ scrapeInterval: Duration.seconds(30) }),
      ScrapeJobs.kubernetesApiServers(),
      ScrapeJobs.blackboxProbe({
        exporterAddress: 'blackbox-exporter.monitoring.svc:9115',
        module: 'http_2xx',
        targets: ['https://example.com', 'https://shop.example.com/health'],
        labels: { probe: 'public' },
      }),
    ],
    ruleGroups: [{
      name: 'app',
      interval: Duration.minutes(1),
      limit: 100,
      queryOffset: Duration.seconds(30),
      rules: [
        { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { team: 'payments' } },
        {
          alert: 'HighErrorRate',
          expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
          for: Duration.minutes(5),
          keepFiringFor: Duration.minutes(10),
          labels: { severity: 'page' },
          annotations: { summary: 'High error rate on {{ $labels.job }}', runbook_url: 'https://runbooks.example.com/high-error-rate' },
        },
      ],
    }],
  };
}

/**
 * Writes a rendered config where promtool can check it: rule_files and every
 * `*_file` / file SD path point into `dir` (they are container paths), and
 * each referenced file exists there (promtool checks that they do).
 *
 * Debian's promtool is built without Consul service discovery (the upstream
 * image has it), so `consul_sd_configs` are cut out here; their rendering is
 * checked against upstream's field names in prometheus-config.test.ts.
 */
function placeForPromtool(config: string, rules: string, dir: string): string {
  const inDir = (path: string) => join(dir, 'fs', path);
  const touch = (path: string, content: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  const doc = parse(config);
  const visit = (node: any): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries<any>(node)) {
      if (key.endsWith('_file') && typeof value === 'string') {
        node[key] = inDir(value);
        touch(node[key], 'dummy');
      } else {
        visit(value);
      }
    }
    delete node.consul_sd_configs;
    if (Array.isArray(node.file_sd_configs)) {
      for (const sd of node.file_sd_configs) {
        sd.files = sd.files.map(inDir);
        for (const f of sd.files) touch(f.replace('*', 'generated'), JSON.stringify([{ targets: ['10.0.0.1:9100'], labels: { zone: 'a' } }]));
      }
    }
  };
  visit(doc);
  doc.rule_files = doc.rule_files.map(inDir);
  touch(join(inDir('/etc/prometheus/rules'), 'rules.yaml'), rules);
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(doc));
  return configFile;
}

describe('promtool check config', () => {
  test('accepts a config that uses every option, and its rules', () => {
    // GIVEN a Prometheus wired to an Alertmanager and a Pushgateway, using every config option
    const chart = givenChart();
    const alertmanager = new Alertmanager(chart, 'alertmanager', { replicas: 3, routePrefix: '/alertmanager' });
    const pushgateway = new Pushgateway(chart, 'pushgateway');
    const prometheus = new Prometheus(chart, 'prometheus', { ...everyOption(), alertmanagers: [alertmanager], pushgateways: [pushgateway] });
    const dir = tempDir('prometheus-config');
    const configFile = placeForPromtool(prometheus.renderConfig(), prometheus.renderRules(), dir);

    // WHEN promtool checks the config (with the rule files it globs) and the rules, with every linter
    const config = promtoolCheck('config', ['--lint=all', '--lint-fatal', configFile]);
    const rules = promtoolCheck('rules', ['--lint=all', '--lint-fatal', join(dir, 'fs', 'etc/prometheus/rules/rules.yaml')]);

    // THEN both are valid; every section was rendered (an empty section would pass silently)
    expect(config.output).toContain('SUCCESS: 1 rule files found');
    expect(config.code).toBe(0);
    expect(rules.code).toBe(0);
    const rendered = parse(prometheus.renderConfig());
    expect(Object.keys(rendered).sort()).toEqual(['alerting', 'global', 'remote_read', 'remote_write', 'rule_files', 'scrape_configs', 'storage']);
    expect(rendered.scrape_configs.map((j: any) => j.job_name)).toEqual(expect.arrayContaining(['kitchen-sink', 'kubelet', 'cadvisor', 'kubernetes-apiservers', 'blackbox-http_2xx']));
    expect(rules.output).toMatch(/SUCCESS: \d+ rules found/);
  }, TIMEOUT_MS);

  test('rejects what promtool rejects: the check itself can fail', () => {
    // GIVEN the fixture's config with a scrape timeout longer than its interval, edited after rendering
    const chart = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', everyOption());
    const dir = tempDir('prometheus-config-broken');
    const doc = parse(prometheus.renderConfig());
    doc.scrape_configs[0].scrape_timeout = '1h';
    const configFile = placeForPromtool(stringify(doc), prometheus.renderRules(), dir);

    // WHEN promtool checks it
    const result = promtoolCheck('config', [configFile]);

    // THEN it fails, naming the problem
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/scrape timeout greater than scrape interval/);
  }, TIMEOUT_MS);
});

// ---- Generated configurations --------------------------------------------------------------

const labelName = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const metaLabel = fc.constantFrom('__address__', '__meta_kubernetes_namespace', '__meta_kubernetes_pod_name', '__meta_kubernetes_pod_label_app', '__name__');
const safeRegex = fc.constantFrom('(.*)', '(.+)', 'kube-.*', '(?i)true', '([^:]+):(\\d+)', 'a|b|c', '[a-z]+');

/** A relabel rule of a random action, with what that action needs. */
const relabelRule: fc.Arbitrary<RelabelRule> = fc.oneof(
  fc.record({ sourceLabels: fc.array(metaLabel, { minLength: 1, maxLength: 2 }), targetLabel: labelName, regex: safeRegex })
    .map(r => ({ ...r, action: RelabelAction.REPLACE, replacement: '$1' })),
  fc.record({ sourceLabels: fc.array(metaLabel, { minLength: 1, maxLength: 2 }), regex: safeRegex, action: fc.constantFrom(RelabelAction.KEEP, RelabelAction.DROP) }),
  fc.record({ sourceLabels: fc.array(metaLabel, { minLength: 1, maxLength: 2 }), targetLabel: labelName, modulus: fc.integer({ min: 1, max: 100 }) })
    .map(r => ({ ...r, action: RelabelAction.HASHMOD })),
  fc.record({ sourceLabels: fc.array(metaLabel, { minLength: 1, maxLength: 1 }), targetLabel: labelName,
    action: fc.constantFrom(RelabelAction.LOWERCASE, RelabelAction.UPPERCASE, RelabelAction.KEEP_EQUAL, RelabelAction.DROP_EQUAL) }),
  fc.record({ regex: fc.constantFrom('__meta_kubernetes_pod_label_(.+)', '__meta_(.+)') }).map(r => ({ ...r, action: RelabelAction.LABELMAP })),
  // Target relabelings must keep __address__ (refused at synth time otherwise, see the broken-input table).
  fc.record({ regex: fc.constantFrom('tmp_.*', 'a|b|c', '[a-z]+', 'label_.+') }).map(r => ({ ...r, action: RelabelAction.LABELDROP })),
  fc.record({ regex: fc.constantFrom('__.*', '__.*|job|instance', '__.+|[a-z]+') }).map(r => ({ ...r, action: RelabelAction.LABELKEEP })),
);

const seconds = (min: number, max: number) => fc.integer({ min, max }).map(s => Duration.seconds(s));

/** A scrape job of random discovery mechanisms, relabelings and options. */
const scrapeJob = (name: string): fc.Arbitrary<ScrapeJob> => fc.record({
  interval: seconds(10, 120),
  timeoutRatio: fc.double({ min: 0.1, max: 1, noNaN: true }),
  scheme: fc.constantFrom(Scheme.HTTP, Scheme.HTTPS, undefined),
  honorLabels: fc.boolean(),
  sampleLimit: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
  roles: fc.uniqueArray(fc.constantFrom(...Object.values(KubernetesRole)), { maxLength: 3 }),
  namespaces: fc.option(fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  statics: fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}:${p}`), { maxLength: 3 }),
  dns: fc.boolean(),
  file: fc.boolean(),
  relabelings: fc.array(relabelRule, { maxLength: 5 }),
  metricRelabelings: fc.array(relabelRule, { maxLength: 3 }),
  bearer: fc.boolean(),
}).map(g => ({
  jobName: name,
  scrapeInterval: g.interval,
  scrapeTimeout: Duration.seconds(Math.max(1, Math.floor(g.interval.toSeconds() * g.timeoutRatio))),
  scheme: g.scheme,
  honorLabels: g.honorLabels,
  sampleLimit: g.sampleLimit,
  staticTargets: g.statics.length ? g.statics : undefined,
  kubernetesSd: g.roles.length ? g.roles.map(role => ({ role, namespaces: g.namespaces })) : undefined,
  dnsSd: g.dns ? [{ names: ['_http._tcp.example.com'] }] : undefined,
  fileSd: g.file ? [{ files: ['/etc/prometheus/targets/*.json'] }] : undefined,
  relabelings: g.relabelings.length ? g.relabelings : undefined,
  metricRelabelings: g.metricRelabelings.length ? g.metricRelabelings : undefined,
  auth: g.bearer ? { bearerTokenFile: SecretFile.fromSecret('scrape-token', 'token') } : undefined,
}));

const generatedProps = fc.integer({ min: 1, max: 4 }).chain(n =>
  fc.tuple(...Array.from({ length: n }, (_, i) => scrapeJob(`job-${i}`))),
).chain(jobs => fc.record({
  annotationDiscovery: fc.boolean(),
  thanos: fc.boolean(),
  remoteWrite: fc.boolean(),
}).map(o => ({ jobs, ...o })));

describe('generated configurations', () => {
  test('every generated configuration passes promtool check config', () => {
    // GIVEN many configurations: 1-4 jobs of random SD roles, static targets, relabelings with valid actions, auth
    const started = Date.now();
    let checked = 0;
    fc.assert(fc.property(generatedProps, g => {
      const prometheus = new Prometheus(givenChart(), 'prometheus', {
        scrapeJobs: g.jobs,
        annotationDiscovery: g.annotationDiscovery,
        thanos: { enabled: g.thanos },
        remoteWrite: g.remoteWrite ? [{ url: 'https://remote.example.com/write', auth: { bearerTokenFile: SecretFile.fromSecret('rw', 'token') } }] : undefined,
      });
      // WHEN each is rendered and checked by promtool
      const configFile = placeForPromtool(prometheus.renderConfig(), prometheus.renderRules(), tempDir('generated'));
      const result = promtoolCheck('config', [configFile]);
      checked++;
      // THEN promtool accepts it
      if (result.code !== 0) throw new Error(`${result.output}\n${prometheus.renderConfig()}`);
    }), { numRuns: 40 });

    // (and the whole run stays within its time budget)
    expect(checked).toBe(40);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
