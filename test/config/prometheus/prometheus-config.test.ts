// The typed Prometheus configuration: what it renders into prometheus.yml, the
// Secrets it mounts for *_file fields, and the invalid values it refuses at
// synth time, naming the construct path and the field.
import { Chart, Duration } from 'cdk8s';
import { parse } from 'yaml';
import {
  Alertmanager, ContainerImage, DnsRecordType, KubernetesRole, Prometheus, PrometheusProps, RelabelAction,
  Scheme, ScrapeJob, ScrapeJobs, SecretFile,
} from '../../../lib';
import { container, find, synth, testApp } from '../../support/synth';

function givenChart(): Chart {
  return new Chart(testApp(), 'test', { namespace: 'monitoring' });
}

function renderedConfig(props: PrometheusProps = {}, chart = givenChart()): any {
  return parse(new Prometheus(chart, 'prometheus', props).renderConfig());
}

function job(config: any, name: string): any {
  const hit = config.scrape_configs.find((j: any) => j.job_name === name);
  if (!hit) throw new Error(`no job '${name}' in ${config.scrape_configs.map((j: any) => j.job_name).join(', ')}`);
  return hit;
}

describe('global config', () => {
  test('renders intervals as Prometheus durations and sets the replica label per pod', () => {
    // GIVEN custom intervals and external labels
    const config = renderedConfig({
      scrapeInterval: Duration.minutes(1), scrapeTimeout: Duration.seconds(45), evaluationInterval: Duration.seconds(90),
      externalLabels: { cluster: 'prod' },
    });

    // WHEN rendered / THEN durations use Prometheus syntax, and the replica label is the pod name from the environment
    expect(config.global).toEqual({
      scrape_interval: '1m', scrape_timeout: '45s', evaluation_interval: '1m30s',
      external_labels: { cluster: 'prod', replica: '${POD_NAME}' },
    });
  });

  test('drops the replica label from alerts before the user\'s alert relabelings', () => {
    // GIVEN an Alertmanager and a user alert relabeling
    const chart = givenChart();
    const alertmanager = new Alertmanager(chart, 'alertmanager');
    const config = renderedConfig({
      alertmanagers: [alertmanager],
      replicaLabel: 'prometheus_replica',
      alertRelabelings: [{ sourceLabels: ['severity'], regex: 'info', action: RelabelAction.DROP }],
    }, chart);

    // WHEN rendered / THEN the replicas' copies of an alert become identical, so Alertmanager de-duplicates them
    expect(config.alerting.alert_relabel_configs).toEqual([
      { regex: 'prometheus_replica', action: 'labeldrop' },
      { source_labels: ['severity'], regex: 'info', action: 'drop' },
    ]);
  });

  test('labels the self-scrape jobs with the pod, the key the default Thanos rules join on', () => {
    // GIVEN the default Prometheus
    const config = renderedConfig();

    // WHEN rendered / THEN the prometheus and thanos-sidecar jobs derive `pod` from the per-pod DNS name
    for (const name of ['prometheus', 'thanos-sidecar']) {
      expect(job(config, name).relabel_configs).toEqual([
        { source_labels: ['__address__'], target_label: 'pod', regex: '([^.:]+)[.:].*', action: 'replace' },
      ]);
    }
    expect('prometheus-1.prometheus-headless.monitoring.svc:9090'.replace(/^([^.:]+)[.:].*$/, '$1')).toBe('prometheus-1');
  });
});

describe('scrape jobs', () => {
  test('renders Kubernetes SD of every role with namespaces and selectors', () => {
    // GIVEN a job discovering every role
    const config = renderedConfig({
      annotationDiscovery: false,
      scrapeJobs: [{
        jobName: 'k8s',
        kubernetesSd: [
          ...Object.values(KubernetesRole).map(role => ({ role, namespaces: ['shop'] })),
          { role: KubernetesRole.ENDPOINTS, ownNamespace: true, selectors: [{ role: KubernetesRole.SERVICE, label: 'monitored=true' }] },
        ],
      }],
    });

    // WHEN rendered / THEN each role keeps its namespace selection; selectors render as given
    const sd = job(config, 'k8s').kubernetes_sd_configs;
    expect(sd.map((s: any) => s.role)).toEqual(['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress', 'endpoints']);
    expect(sd[0]).toEqual({ role: 'node', namespaces: { names: ['shop'] } });
    expect(sd[6]).toEqual({ role: 'endpoints', namespaces: { own_namespace: true }, selectors: [{ role: 'service', label: 'monitored=true' }] });
  });

  test('renders Consul SD with the token as a bearer credentials file, in upstream\'s field names', () => {
    // GIVEN a Consul SD whose token is in a Secret (Debian's promtool cannot check Consul SD, so its fields are pinned here)
    const config = renderedConfig({
      scrapeJobs: [{
        jobName: 'consul',
        consulSd: [{
          server: 'consul.consul.svc:8500', services: ['web'], tags: ['prod'], datacenter: 'dc1', scheme: Scheme.HTTPS,
          tokenFile: SecretFile.fromSecret('consul', 'token'), allowStale: true, refreshInterval: Duration.minutes(1),
          tls: { caFile: SecretFile.fromSecret('consul', 'ca.crt') },
        }],
      }],
    });

    // WHEN rendered / THEN fields are those of upstream discovery/consul.SDConfig (token via the HTTP client's authorization)
    expect(job(config, 'consul').consul_sd_configs).toEqual([{
      server: 'consul.consul.svc:8500', services: ['web'], tags: ['prod'], datacenter: 'dc1', scheme: 'https',
      allow_stale: true, refresh_interval: '1m',
      authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/consul/token' },
      tls_config: { ca_file: '/etc/prometheus/secrets/consul/ca.crt' },
    }]);
  });

  test('renders DNS and file SD', () => {
    // GIVEN SRV and A record discovery and a target file glob
    const config = renderedConfig({
      scrapeJobs: [{
        jobName: 'dns',
        dnsSd: [{ names: ['_metrics._tcp.db.example.com'] }, { names: ['db.example.com'], type: DnsRecordType.A, port: 9187 }],
        fileSd: [{ files: ['/etc/prometheus/targets/*.json'], refreshInterval: Duration.minutes(5) }],
      }],
    });

    // WHEN rendered / THEN as given, with the port only where the record type needs it
    expect(job(config, 'dns').dns_sd_configs).toEqual([{ names: ['_metrics._tcp.db.example.com'] }, { names: ['db.example.com'], type: 'A', port: 9187 }]);
    expect(job(config, 'dns').file_sd_configs).toEqual([{ files: ['/etc/prometheus/targets/*.json'], refresh_interval: '5m' }]);
  });

  test('kubelet and cAdvisor go through the API server proxy with the service account', () => {
    // GIVEN the ready-made node jobs
    const config = renderedConfig({ scrapeJobs: [ScrapeJobs.kubelet(), ScrapeJobs.cadvisor()] });

    // WHEN rendered / THEN each node is scraped at /api/v1/nodes/<node>/proxy/…, keeping the node as instance
    for (const [name, path] of [['kubelet', '/metrics'], ['cadvisor', '/metrics/cadvisor']]) {
      expect(job(config, name)).toEqual({
        job_name: name,
        scheme: 'https',
        authorization: { type: 'Bearer', credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
        tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' },
        kubernetes_sd_configs: [{ role: 'node' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node', action: 'replace' },
          { source_labels: ['__meta_kubernetes_node_name'], target_label: 'instance', action: 'replace' },
          { target_label: '__address__', replacement: 'kubernetes.default.svc:443', action: 'replace' },
          { source_labels: ['__meta_kubernetes_node_name'], target_label: '__metrics_path__', regex: '(.+)', replacement: `/api/v1/nodes/\${1}/proxy${path}`, action: 'replace' },
        ],
      });
    }
  });

  test('the API server job keeps only default/kubernetes:https endpoints', () => {
    // GIVEN the ready-made API server job
    const config = renderedConfig({ scrapeJobs: [ScrapeJobs.kubernetesApiServers()] });

    // WHEN rendered / THEN it discovers endpoints in default and keeps the kubernetes Service's https port
    const j = job(config, 'kubernetes-apiservers');
    expect(j.kubernetes_sd_configs).toEqual([{ role: 'endpoints', namespaces: { names: ['default'] } }]);
    expect(j.relabel_configs).toEqual([{
      source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
      regex: 'default;kubernetes;https', action: 'keep',
    }]);
    expect(j.scheme).toBe('https');
  });

  test('a blackbox probe sends the target as a parameter to the exporter', () => {
    // GIVEN a probe of two URLs
    const config = renderedConfig({
      scrapeJobs: [ScrapeJobs.blackboxProbe({ exporterAddress: 'blackbox.monitoring.svc:9115', module: 'http_2xx', targets: ['https://a.example.com', 'https://b.example.com/x'] })],
    });

    // WHEN rendered / THEN /probe?module=http_2xx&target=<url> on the exporter, with the URL as instance
    expect(job(config, 'blackbox-http_2xx')).toEqual({
      job_name: 'blackbox-http_2xx',
      metrics_path: '/probe',
      params: { module: ['http_2xx'] },
      static_configs: [{ targets: ['https://a.example.com', 'https://b.example.com/x'] }],
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target', action: 'replace' },
        { source_labels: ['__param_target'], target_label: 'instance', action: 'replace' },
        { target_label: '__address__', replacement: 'blackbox.monitoring.svc:9115', action: 'replace' },
      ],
    });
  });
});

describe('remote write and read', () => {
  test('renders auth as files, the queue, write relabeling and metadata settings', () => {
    // GIVEN a remote write with basic auth from a Secret and a tuned queue, and a remote read with a token
    const config = renderedConfig({
      remoteWrite: [{
        url: 'https://mimir.example.com/api/v1/push', name: 'mimir', remoteTimeout: Duration.seconds(20),
        auth: { basicAuthUsername: 'tenant-1', basicAuthPasswordFile: SecretFile.fromSecret('mimir', 'password') },
        queue: { maxShards: 20, batchSendDeadline: Duration.seconds(10) },
        writeRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: RelabelAction.DROP }],
        sendMetadata: false,
      }],
      remoteRead: [{ url: 'http://thanos.example.com/api/v1/read', readRecent: true, auth: { bearerTokenFile: SecretFile.fromSecret('thanos', 'token') } }],
    });

    // WHEN rendered / THEN secrets appear only as *_file paths
    expect(config.remote_write).toEqual([{
      url: 'https://mimir.example.com/api/v1/push', name: 'mimir', remote_timeout: '20s',
      basic_auth: { username: 'tenant-1', password_file: '/etc/prometheus/secrets/mimir/password' },
      write_relabel_configs: [{ source_labels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      queue_config: { max_shards: 20, batch_send_deadline: '10s' },
      metadata_config: { send: false },
    }]);
    expect(config.remote_read).toEqual([{
      url: 'http://thanos.example.com/api/v1/read', read_recent: true,
      authorization: { type: 'Bearer', credentials_file: '/etc/prometheus/secrets/thanos/token' },
    }]);
  });

  test('addRemoteWrite() appends, and refuses a second entry of the same name', () => {
    // GIVEN a Prometheus with one remote write
    const prometheus = new Prometheus(givenChart(), 'prometheus', { remoteWrite: [{ url: 'https://a.example.com/push', name: 'a' }] });

    // WHEN another is added, then one reusing the name
    prometheus.addRemoteWrite({ url: 'https://b.example.com/push' });

    // THEN both render; the duplicate name is refused with its field
    expect(parse(prometheus.renderConfig()).remote_write.map((r: any) => r.url)).toEqual(['https://a.example.com/push', 'https://b.example.com/push']);
    expect(() => prometheus.addRemoteWrite({ url: 'https://c.example.com/push', name: 'a' }))
      .toThrow("test/prometheus: invalid 'remoteWrite[2].name': 'a' is used by another entry");
  });
});

describe('secrets', () => {
  test('every Secret a *_file field refers to is mounted read-only into the Prometheus container', () => {
    // GIVEN files of two Secrets referenced from a scrape job and a remote write
    const chart = givenChart();
    new Prometheus(chart, 'prometheus', {
      scrapeJobs: [{ jobName: 'app', staticTargets: ['app:8443'], tls: { caFile: SecretFile.fromSecret('app-tls', 'ca.crt') } }],
      remoteWrite: [{ url: 'https://x.example.com/push', auth: { bearerTokenFile: SecretFile.fromSecret('remote.token', 'token') } }],
    });

    // WHEN synthesized
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');

    // THEN each Secret is a volume, mounted at /etc/prometheus/secrets/<name> (a name with a dot gets a hash in its volume name)
    expect(sts.spec.template.spec.volumes).toEqual(expect.arrayContaining([
      { name: 'secret-app-tls', secret: { secretName: 'app-tls' } },
      { name: 'secret-remote-token-3d71f0ea', secret: { secretName: 'remote.token' } },
    ]));
    expect(container(sts, 'prometheus').volumeMounts).toEqual(expect.arrayContaining([
      { name: 'secret-app-tls', mountPath: '/etc/prometheus/secrets/app-tls', readOnly: true },
      { name: 'secret-remote-token-3d71f0ea', mountPath: '/etc/prometheus/secrets/remote.token', readOnly: true },
    ]));
  });

  test("Secrets 'a.b' and 'a-b' get distinct volumes; two files of one Secret share one", () => {
    // GIVEN two files of Secret 'a.b' and one of Secret 'a-b', which used to both become volume 'secret-a-b'
    const chart = givenChart();
    new Prometheus(chart, 'prometheus', {
      scrapeJobs: [{ jobName: 'app', staticTargets: ['app:8443'], tls: { certFile: SecretFile.fromSecret('a.b', 'tls.crt'), keyFile: SecretFile.fromSecret('a.b', 'tls.key') } }],
      remoteWrite: [{ url: 'https://x.example.com/push', auth: { bearerTokenFile: SecretFile.fromSecret('a-b', 'token') } }],
    });

    // WHEN synthesized
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');

    // THEN one volume per Secret, with distinct DNS-label names
    expect(sts.spec.template.spec.volumes.filter((v: any) => v.secret)).toEqual([
      { name: 'secret-a-b', secret: { secretName: 'a-b' } },
      { name: 'secret-a-b-2e7336dc', secret: { secretName: 'a.b' } },
    ]);
    expect(container(sts, 'prometheus').volumeMounts.filter((m: any) => m.name.startsWith('secret-'))).toEqual([
      { name: 'secret-a-b', mountPath: '/etc/prometheus/secrets/a-b', readOnly: true },
      { name: 'secret-a-b-2e7336dc', mountPath: '/etc/prometheus/secrets/a.b', readOnly: true },
    ]);
  });

  test('long Secret names are cut to a DNS label, with a hash of the full name', () => {
    // GIVEN two 70-character Secret names that differ only in their last character
    const chart = givenChart();
    const [a, b] = [`${'y'.repeat(69)}a`, `${'y'.repeat(69)}b`];
    new Prometheus(chart, 'prometheus', {
      remoteWrite: [{ url: 'https://a.example.com/push', auth: { bearerTokenFile: SecretFile.fromSecret(a, 'token') } }, { url: 'https://b.example.com/push', auth: { bearerTokenFile: SecretFile.fromSecret(b, 'token') } }],
    });

    // WHEN synthesized
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');

    // THEN both volume names are distinct DNS labels of at most 63 characters
    const names = sts.spec.template.spec.volumes.filter((v: any) => v.secret).map((v: any) => v.name);
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name).toMatch(/^secret-y+-[0-9a-f]{8}$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
  });

  test('without *_file references, no Secret is mounted', () => {
    // GIVEN the default Prometheus
    const chart = givenChart();
    new Prometheus(chart, 'prometheus');

    // WHEN synthesized / THEN no secret volume exists
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');
    expect(sts.spec.template.spec.volumes.filter((v: any) => v.secret)).toEqual([]);
  });

  test('the rendered config holds no inline secret field', () => {
    // GIVEN every kind of authentication
    const config = JSON.stringify(renderedConfig({
      scrapeJobs: [
        { jobName: 'a', staticTargets: ['a:1'], auth: { basicAuthUsernameFile: SecretFile.fromSecret('s', 'u'), basicAuthPasswordFile: SecretFile.fromSecret('s', 'p') } },
        { jobName: 'b', staticTargets: ['b:1'], auth: { bearerTokenFile: SecretFile.fromSecret('s', 't') }, consulSd: [{ server: 'c:8500', tokenFile: SecretFile.fromSecret('s', 'c') }] },
      ],
      remoteWrite: [{ url: 'https://r.example.com', auth: { basicAuthUsername: 'u', basicAuthPasswordFile: SecretFile.fromSecret('s', 'rp') } }],
    }));

    // WHEN rendered / THEN only *_file keys carry credentials
    expect(config).not.toMatch(/"(password|credentials|token|bearer_token)"/);
    expect(config).toMatch(/"password_file"/);
  });
});

describe('storage', () => {
  test('renders the out-of-order window for the pinned image', () => {
    // GIVEN an out-of-order window
    const config = renderedConfig({ tsdb: { outOfOrderTimeWindow: Duration.minutes(30) } });

    // WHEN rendered / THEN it is in storage.tsdb
    expect(config.storage).toEqual({ tsdb: { out_of_order_time_window: '30m' } });
  });

  test('refuses the out-of-order window for an image that predates it', () => {
    // GIVEN Prometheus 2.38, which has no such config field, and would not start
    const render = () => renderedConfig({ image: ContainerImage.of('quay.io/prometheus/prometheus', 'v2.38.0'), tsdb: { outOfOrderTimeWindow: Duration.minutes(5) } });

    // WHEN rendered / THEN refused, naming the field and the version
    expect(render).toThrow("test/prometheus: invalid 'tsdb.outOfOrderTimeWindow': needs Prometheus 2.39 or later, the image is v2.38.0");
  });
});

describe('default rules', () => {
  test('are in the rule file by default, and gone with defaultRules: false', () => {
    // GIVEN a Prometheus with and one without default rules, each with a user group
    const group = { name: 'app', rules: [{ alert: 'AppDown', expr: 'up{job="app"} == 0' }] };
    const withDefaults = new Prometheus(givenChart(), 'prometheus', { ruleGroups: [group] });
    const without = new Prometheus(givenChart(), 'prometheus', { ruleGroups: [group], defaultRules: false });

    // WHEN their rule files are rendered
    const names = (p: Prometheus) => parse(p.renderRules()).groups.map((g: any) => g.name);

    // THEN the default groups come first, and only when enabled
    expect(names(withDefaults)).toEqual(['stack-prometheus', 'stack-thanos', 'app']);
    expect(names(without)).toEqual(['app']);
  });

  test('watch the Alertmanagers added later, with their replica count', () => {
    // GIVEN a Prometheus, then a 5-node Alertmanager wired to it
    const chart = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    prometheus.addAlertmanager(new Alertmanager(chart, 'alerts', { replicas: 5 }));

    // WHEN the rules are rendered
    const groups = parse(prometheus.renderRules()).groups;

    // THEN the cluster rule expects 5 members of that job
    const am = groups.find((g: any) => g.name === 'stack-alertmanager');
    expect(am.rules.find((r: any) => r.alert === 'AlertmanagerClusterDegraded').expr)
      .toBe('max_over_time(alertmanager_cluster_members{job="alertmanager-alerts"}[5m]) < 5');
  });

  test('a user group may not take a default group\'s name', () => {
    // GIVEN a Prometheus with default rules
    const prometheus = new Prometheus(givenChart(), 'prometheus');

    // WHEN a group named like a default group is added / THEN it is refused
    expect(() => prometheus.addRuleGroup({ name: 'stack-prometheus', rules: [{ record: 'a:b', expr: 'up' }] }))
      .toThrow(/test\/prometheus: invalid 'ruleGroups': 'stack-prometheus': names starting with 'stack-'/);
  });
});

/** A Prometheus with one user job, the way most broken inputs are given. */
const withJob = (j: Partial<ScrapeJob>): PrometheusProps => ({ scrapeJobs: [{ jobName: 'app', staticTargets: ['app:8080'], ...j }] });

describe('invalid values are refused at synth time, naming the construct path and the field', () => {
  test.each<[string, PrometheusProps, string | RegExp]>([
    ['a bad external label name', { externalLabels: { 'team-name': 'x' } },
      "test/prometheus: invalid 'externalLabels.team-name': 'team-name' is not a valid label name"],
    ['a reserved external label name', { externalLabels: { __tenant: 'x' } },
      "invalid 'externalLabels.__tenant': '__tenant': label names starting with '__' are reserved"],
    ['a $ in an external label value (Prometheus would expand it)', { externalLabels: { cost: '$5' } },
      "test/prometheus: invalid 'externalLabels.cost': '$5': Prometheus would expand '$' from its environment; write '$$' for a literal '$'"],
    ['a global scrape timeout longer than the interval', { scrapeInterval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) },
      "test/prometheus: invalid 'scrapeTimeout': 20s is longer than scrapeInterval (10s)"],
    ['a job timeout longer than the global interval', withJob({ scrapeTimeout: Duration.minutes(1) }),
      "invalid 'scrapeJobs[app].scrapeTimeout': 1m is longer than the global scrape interval (30s)"],
    ['a job timeout longer than its interval', withJob({ scrapeInterval: Duration.seconds(5), scrapeTimeout: Duration.seconds(6) }),
      "invalid 'scrapeJobs[app].scrapeTimeout': 6s is longer than the scrape interval (5s)"],
    ['a zero scrape interval', withJob({ scrapeInterval: Duration.seconds(0) }),
      "invalid 'scrapeJobs[app].scrapeInterval': must be longer than zero"],
    ['a fractional-millisecond duration', { evaluationInterval: Duration.millis(1.5) },
      /^test\/prometheus: invalid 'evaluationInterval': .*whole number of millis/],
    ['a job named like a built-in job', withJob({ jobName: 'prometheus' }),
      "invalid 'scrapeJobs': a job named 'prometheus' already exists (built-in jobs: prometheus, thanos-sidecar, prometheus-reloader)"],
    ['an unknown Kubernetes SD role', withJob({ kubernetesSd: [{ role: 'deployment' as KubernetesRole }] }),
      "invalid 'scrapeJobs[app].kubernetesSd[0].role': unknown Kubernetes SD role 'deployment'"],
    ['a selector role the SD role does not accept', withJob({ kubernetesSd: [{ role: KubernetesRole.POD, selectors: [{ role: KubernetesRole.NODE, label: 'a=b' }] }] }),
      "invalid 'scrapeJobs[app].kubernetesSd[0].selectors[0].role': role 'pod' discovery accepts selectors for pod, not 'node'"],
    ['a replace rule without targetLabel', withJob({ relabelings: [{ sourceLabels: ['__address__'] }] }),
      "invalid 'scrapeJobs[app].relabelings[0].targetLabel': action 'replace' requires a targetLabel"],
    ['a keep rule without sourceLabels', withJob({ relabelings: [{ regex: 'x', action: RelabelAction.KEEP }] }),
      "invalid 'scrapeJobs[app].relabelings[0].sourceLabels': action 'keep' requires sourceLabels"],
    ['a hashmod rule without modulus', withJob({ relabelings: [{ sourceLabels: ['__address__'], targetLabel: '__tmp', action: RelabelAction.HASHMOD }] }),
      "invalid 'scrapeJobs[app].relabelings[0].modulus': action 'hashmod' requires a positive integer modulus"],
    ['a labeldrop rule with a target label', withJob({ metricRelabelings: [{ regex: 'id', targetLabel: 'x', action: RelabelAction.LABELDROP }] }),
      "invalid 'scrapeJobs[app].metricRelabelings[0]': action 'labeldrop' takes only a regex"],
    ['a keepequal rule with a regex', withJob({ relabelings: [{ sourceLabels: ['a'], targetLabel: 'b', regex: 'x', action: RelabelAction.KEEP_EQUAL }] }),
      "invalid 'scrapeJobs[app].relabelings[0]': action 'keepequal' takes only sourceLabels and targetLabel"],
    ['a relabel regex with a lookahead (not RE2)', withJob({ relabelings: [{ sourceLabels: ['a'], regex: '(?!kube).*', action: RelabelAction.KEEP }] }),
      "invalid 'scrapeJobs[app].relabelings[0].regex': '(?!kube).*': RE2 has no lookahead or lookbehind"],
    ['a labelkeep that drops __address__', withJob({ relabelings: [{ regex: 'job|instance', action: RelabelAction.LABELKEEP }] }),
      "invalid 'scrapeJobs[app].relabelings[0].regex': 'job|instance' does not keep __address__"],
    ['a blackbox exporter address without port', { scrapeJobs: [ScrapeJobs.blackboxProbe({ exporterAddress: 'blackbox.monitoring.svc', module: 'icmp', targets: ['10.0.0.1'] })] },
      "invalid 'scrapeJobs[blackbox-icmp].relabelings[2].replacement': 'blackbox.monitoring.svc' must be host:port"],
    ['a bad target label name', withJob({ relabelings: [{ sourceLabels: ['a'], targetLabel: 'team-name' }] }),
      "invalid 'scrapeJobs[app].relabelings[0].targetLabel': 'team-name' is not a valid label name"],
    ['a DNS A record without port', withJob({ dnsSd: [{ names: ['db.example.com'], type: DnsRecordType.A }] }),
      "invalid 'scrapeJobs[app].dnsSd[0].port': A records carry no port: set one"],
    ['a relative secret file', withJob({ auth: { bearerTokenFile: 'token' } }),
      "invalid 'scrapeJobs[app].auth.bearerTokenFile': 'token' must be an absolute path"],
    ['basic auth and a bearer token together', withJob({ auth: { basicAuthUsername: 'u', bearerTokenFile: '/t' } }),
      "invalid 'scrapeJobs[app].auth': use either basic auth or a bearer token, not both"],
    ['a client certificate without key', withJob({ tls: { certFile: SecretFile.fromSecret('tls', 'tls.crt') } }),
      "invalid 'scrapeJobs[app].tls.keyFile': a client certificate needs both certFile and keyFile"],
    ['a Consul server without port', withJob({ consulSd: [{ server: 'consul.svc' }] }),
      "invalid 'scrapeJobs[app].consulSd[0].server': 'consul.svc' must be host:port"],
    ['a static target that is a URL', withJob({ staticTargets: ['http://app:8080'] }),
      "invalid 'scrapeJobs[app].staticTargets[0]': 'http://app:8080' must be host or host:port"],
    ['a remote write URL that is not http(s)', { remoteWrite: [{ url: 'ftp://archive.example.com/push' }] },
      "invalid 'remoteWrite[0].url': 'ftp://archive.example.com/push' must be an http:// or https:// URL"],
    ['a remote write URL with credentials', { remoteWrite: [{ url: 'https://user:pw@mimir.example.com/push' }] },
      "invalid 'remoteWrite[0].url': must not hold credentials (the config is a ConfigMap)"],
    ['min shards above max shards', { remoteWrite: [{ url: 'https://m.example.com', queue: { minShards: 10, maxShards: 5 } }] },
      "invalid 'remoteWrite[0].queue.minShards': 10 is more than maxShards (5)"],
    ['two remote reads of one URL', { remoteRead: [{ url: 'https://r.example.com/read' }, { url: 'https://r.example.com/read' }] },
      "invalid 'remoteRead[1].url': 'https://r.example.com/read' is already an entry"],
    ['a bad alert relabeling', { alertRelabelings: [{ action: RelabelAction.DROP }] },
      "invalid 'alertRelabelings[0].sourceLabels': action 'drop' requires sourceLabels"],
    ['a bearer token file is a plain path into the Prometheus secrets folder', withJob({ auth: { bearerTokenFile: '/etc/prometheus/secrets/only-a-name' } }),
      "invalid 'scrapeJobs[app].auth.bearerTokenFile': '/etc/prometheus/secrets/only-a-name' is a path into /etc/prometheus/secrets, where only the Secrets of SecretFile values are mounted: use SecretFile.fromSecret(secretName, key)"],
    ['a CA file is a plain path into the Alertmanager secrets folder', withJob({ tls: { caFile: '/etc/alertmanager/secrets/ca/ca.crt' } }),
      "invalid 'scrapeJobs[app].tls.caFile': '/etc/alertmanager/secrets/ca/ca.crt' is a path into /etc/alertmanager/secrets"],
    ['a secret path hides the secrets folder behind ..', { remoteWrite: [{ url: 'https://r.example.com', auth: { bearerTokenFile: '/etc/prometheus/x/../secrets/rw/token' } }] },
      "invalid 'remoteWrite[0].auth.bearerTokenFile': '/etc/prometheus/x/../secrets/rw/token' is a path into /etc/prometheus/secrets"],
    ['a password file is a plain path (JavaScript, or a cast)', { remoteWrite: [{ url: 'https://r.example.com', auth: { basicAuthUsername: 'u', basicAuthPasswordFile: '/run/pw' as unknown as SecretFile } }] },
      "invalid 'remoteWrite[0].auth.basicAuthPasswordFile': '/run/pw' is not a SecretFile: use SecretFile.fromSecret(secretName, key)"],
    ['a Consul token file is a plain path', withJob({ consulSd: [{ server: 'consul:8500', tokenFile: '/etc/prometheus/secrets/consul/token' as unknown as SecretFile }] }),
      "invalid 'scrapeJobs[app].consulSd[0].tokenFile': '/etc/prometheus/secrets/consul/token' is a path into /etc/prometheus/secrets"],
    ['a client key is a path mounted otherwise', withJob({ tls: { certFile: SecretFile.fromSecret('tls', 'tls.crt'), keyFile: '/var/run/secrets/kubernetes.io/serviceaccount/token' as unknown as SecretFile } }),
      "invalid 'scrapeJobs[app].tls.keyFile': '/var/run/secrets/kubernetes.io/serviceaccount/token' is not a SecretFile: use SecretFile.fromSecret(secretName, key)"],
    ['a target file in the Prometheus secrets folder, where nothing is mounted for it', withJob({ fileSd: [{ files: ['/etc/prometheus/secrets/targets/app.json'] }] }),
      /invalid 'scrape_configs\[\d\]\.file_sd_configs\[0\]\.files\[0\]': '\/etc\/prometheus\/secrets\/targets\/app\.json' is a path into \/etc\/prometheus\/secrets, where only the Secrets of SecretFile values are mounted/],
    ['a rule with a range vector result', { ruleGroups: [{ name: 'g', rules: [{ record: 'job:x:rate', expr: 'x[5m]' }] }] },
      /invalid 'ruleGroups\[g\]\.rules\[0\]\.expr': rule 'job:x:rate': PromQL a rule must evaluate to an instant vector or a scalar, not a range vector/],
  ])('%s', (_what, props, error) => {
    // GIVEN a Prometheus with the broken value
    // WHEN it is constructed and synthesized
    const render = () => {
      const chart = givenChart();
      const prometheus = new Prometheus(chart, 'prometheus', props);
      synth(chart);
      return prometheus;
    };
    // THEN it throws, naming the construct path and the field
    expect(render).toThrow(error);
  });
});
