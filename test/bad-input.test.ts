import { existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  Alertmanager, AzureCredentials, ContainerImage, DiscoveryScope, GcsCredentials, Grafana, GrafanaDashboards, IngressAuth, InvalidValueError, KubernetesRole, MonitoringChart,
  MonitoringIngress, ObjectStorage, Prometheus, Pushgateway, RelabelAction, S3BucketLookup, RemoteStoreApi, S3Credentials, SecretFile, ThanosCompactor,
  ThanosQuerier, ThanosStoreGateway, ThanosRuler, ThanosQueryFrontend, QueryFrontendCache,
} from '../lib';
import { BlackboxExporter, BlackboxModule, KubeStateMetrics, KubeStateMetricsResource, NodeExporter } from '../lib';
import { expectedPropsIn, findValidationSites, testFilesUnder, ValidationSite } from './support/validations';

type Build = (chart: Chart, app: App) => void;

const ROOT = join(__dirname, '..');
const compactor = (c: Chart, retention: ConstructorParameters<typeof ThanosCompactor>[2]['retention']) =>
  new ThanosCompactor(c, 'compactor', { objectStorage: ObjectStorage.fromSecret('objstore'), retention });

/**
 * Wrong props across all constructs: [what is wrong, the stack, the start of
 * the error]. Each must fail at synth time with an error that names the
 * construct path and the prop: `<path>: invalid '<prop>'`.
 */
const cases: Array<[string, Build, string]> = [
  // Prometheus
  ['a Prometheus has no replica', c => new Prometheus(c, 'p', { replicas: 0 }), "test/p: invalid 'replicas'"],
  ['a Prometheus has a fractional number of replicas', c => new Prometheus(c, 'p', { replicas: 1.5 }), "test/p: invalid 'replicas'"],
  ['a Prometheus name is not a DNS label', c => new Prometheus(c, 'p', { name: 'Prom_1' }), "test/p: invalid 'name'"],
  ['a Prometheus id, its default name, is not a DNS label', c => new Prometheus(c, 'My Prometheus'), "test/My Prometheus: invalid 'name'"],
  ['a Prometheus retention is a fraction of a millisecond', c => new Prometheus(c, 'p', { retention: Duration.millis(0.5) }), "test/p: invalid 'retention'"],
  ['a Prometheus retention size is under 1 MiB', c => new Prometheus(c, 'p', { retentionSize: Size.kibibytes(10) }), "test/p: invalid 'retentionSize': must be at least 1 MiB"],
  ['a Prometheus retention size is more than its volume', c => new Prometheus(c, 'p', { retentionSize: Size.gibibytes(100) }), "test/p: invalid 'retentionSize': 102400MiB is more than the 51200MiB volume"],
  ['an external label name has a dash', c => new Prometheus(c, 'p', { externalLabels: { 'bad-label': 'x' } }), "test/p: invalid 'externalLabels.bad-label'"],
  ['an external label is named like the replica label', c => new Prometheus(c, 'p', { externalLabels: { replica: 'x' } }), "test/p: invalid 'externalLabels'"],
  ['an external label value has a bare $, which Prometheus expands', c => new Prometheus(c, 'p', { externalLabels: { cluster: 'eu-$REGION' } }), "test/p: invalid 'externalLabels.cluster'"],
  ['the replica label starts with a digit', c => new Prometheus(c, 'p', { replicaLabel: '0replica' }), "test/p: invalid 'replicaLabel'"],
  ['a Prometheus route prefix has no leading slash', c => new Prometheus(c, 'p', { routePrefix: 'prometheus' }), "test/p: invalid 'routePrefix'"],
  ['a Prometheus has object storage but no sidecar', c => new Prometheus(c, 'p', {
    thanos: { enabled: false, objectStorage: ObjectStorage.fromSecret('objstore') },
  }), "test/p: invalid 'thanos.objectStorage'"],
  ['a Prometheus without its sidecar is a Querier store', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p', { thanos: { enabled: false } })] }),
    "test/p: invalid 'thanos.enabled'"],
  ['the global scrape timeout is longer than the scrape interval', c => new Prometheus(c, 'p', { scrapeInterval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) }),
    "test/p: invalid 'scrapeTimeout'"],
  ['the global scrape interval is zero', c => new Prometheus(c, 'p', { scrapeInterval: Duration.seconds(0) }), "test/p: invalid 'scrapeInterval': must be longer than zero"],
  ['the evaluation interval is zero', c => new Prometheus(c, 'p', { evaluationInterval: Duration.seconds(0) }), "test/p: invalid 'evaluationInterval': must be longer than zero"],
  ['an alert relabeling replaces into no target label', c => new Prometheus(c, 'p', { alertRelabelings: [{ sourceLabels: ['x'], action: RelabelAction.REPLACE }] }),
    "test/p: invalid 'alertRelabelings[0].targetLabel'"],
  ['the TSDB out-of-order window is a fraction of a millisecond', c => new Prometheus(c, 'p', { tsdb: { outOfOrderTimeWindow: Duration.millis(0.5) } }),
    "test/p: invalid 'tsdb.outOfOrderTimeWindow'"],
  ['a Prometheus gets the same Alertmanager twice', c => { const am = new Alertmanager(c, 'am'); new Prometheus(c, 'p', { alertmanagers: [am, am] }); },
    "test/p: invalid 'alertmanagers': 'test/am' is already added"],
  ['a Prometheus gets the same Pushgateway twice', c => { const pgw = new Pushgateway(c, 'pgw'); new Prometheus(c, 'p', { pushgateways: [pgw, pgw] }); },
    "test/p: invalid 'pushgateways': 'test/pgw' is already added"],
  ['a Querier is given one remote store twice', c => new ThanosQuerier(c, 'q', { remoteStores: [RemoteStoreApi.at('s.example.com:443'), RemoteStoreApi.at('s.example.com:443')] }),
    "test/q: invalid 'remoteStores': 's.example.com:443' is already added"],
  ['a remote store\'s TLS is asked of a Thanos older than v0.42', c => new ThanosQuerier(c, 'q', {
    image: ContainerImage.of('quay.io/thanos/thanos', 'v0.41.0'), remoteStores: [RemoteStoreApi.at('s.example.com:443', { tls: {} })],
  }), "test/q: invalid 'remoteStores[0]': per-endpoint TLS needs Thanos v0.42"],
  ['a remote store\'s TLS server name is not a host name', c => new ThanosQuerier(c, 'q', { remoteStores: [RemoteStoreApi.at('s.example.com:443', { tls: { serverName: 'Not A Host' } })] }),
    "test/q: invalid 'remoteStores[0].tls.serverName'"],
  ['a Querier exposes its Store API on a LoadBalancer without TLS', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], grpcLoadBalancer: { cidrs: ['192.0.2.0/24'] } }),
    "test/q: invalid 'grpcLoadBalancer'"],
  ['a Querier\'s LoadBalancer range is not a CIDR', c => new ThanosQuerier(c, 'q', {
    stores: [new Prometheus(c, 'p')], grpcServerTls: { certFile: SecretFile.fromSecret('t', 'tls.crt'), keyFile: SecretFile.fromSecret('t', 'tls.key') }, grpcLoadBalancer: { cidrs: ['anywhere'] },
  }), "test/q: invalid 'grpcLoadBalancer.cidrs[0]'"],
  ['a Querier\'s LoadBalancer has no range', c => new ThanosQuerier(c, 'q', {
    stores: [new Prometheus(c, 'p')], grpcServerTls: { certFile: SecretFile.fromSecret('t', 'tls.crt'), keyFile: SecretFile.fromSecret('t', 'tls.key') }, grpcLoadBalancer: { cidrs: [] },
  }), "test/q: invalid 'grpcLoadBalancer.cidrs'"],
  ['a Prometheus has no shard', c => new Prometheus(c, 'p', { shards: 0 }), "test/p: invalid 'shards'"],
  ['a Prometheus shard label is not a label name', c => new Prometheus(c, 'p', { shards: 2, shardLabel: 'shard-id' }), "test/p: invalid 'shardLabel'"],
  ['a sharded Prometheus uses the replica label as its shard label', c => new Prometheus(c, 'p', { shards: 2, shardLabel: 'replica' }),
    "test/p: invalid 'shardLabel': 'replica' is already the replica label"],
  ['a Prometheus is asked to scrape what serves no metrics', c => {
    const p = new Prometheus(c, 'p');
    p.scrape(new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't', prometheus: p }));
  }, "test/p: invalid 'scrape': 'test/ing' serves no metrics"],
  ['a Prometheus is asked to scrape a component of its own stack', c => { const am = new Alertmanager(c, 'am'); new Prometheus(c, 'p').scrape(am); },
    "test/p: invalid 'scrape': 'test/am' is scraped already"],
  // Service discovery
  ['namespaced discovery names an invalid namespace', c => new Prometheus(c, 'p', { discovery: DiscoveryScope.namespaces(['Team_A']), annotationDiscovery: false }),
    "test/p: invalid 'discovery.namespaces[0]'"],
  ['namespaced discovery meets a node SD job', c => new Prometheus(c, 'p', {
    discovery: DiscoveryScope.namespaces(['monitoring']), scrapeJobs: [{ jobName: 'a', kubernetesSd: [{ role: KubernetesRole.NODE }] }],
  }), "test/p: invalid 'scrapeJobs[a].kubernetesSd[0].role': role 'node' needs cluster-wide discovery"],
  ['namespaced discovery meets an SD job that lists no namespaces', c => new Prometheus(c, 'p', {
    discovery: DiscoveryScope.namespaces(['monitoring']), scrapeJobs: [{ jobName: 'a', kubernetesSd: [{ role: KubernetesRole.POD }] }],
  }), "test/p: invalid 'scrapeJobs[a].kubernetesSd[0].namespaces': discovery is limited to monitoring"],
  ['namespaced discovery meets an SD job outside its namespaces', c => new Prometheus(c, 'p', {
    discovery: DiscoveryScope.namespaces(['monitoring']), scrapeJobs: [{ jobName: 'a', kubernetesSd: [{ role: KubernetesRole.POD, namespaces: ['shop'] }] }],
  }), "test/p: invalid 'scrapeJobs[a].kubernetesSd[0].namespaces': shop outside the discovery scope monitoring"],
  // Scrape jobs, remote storage, rules
  ['two scrape jobs share a name', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'] }, { jobName: 'a', staticTargets: ['y:1'] }] }),
    "test/p: invalid 'scrapeJobs'"],
  ['a Kubernetes SD role is unknown', c => new Prometheus(c, 'p', { scrapeJobs: [{ jobName: 'a', kubernetesSd: [{ role: 'deployment' as KubernetesRole }] }] }),
    "test/p: invalid 'scrapeJobs[a].kubernetesSd[0].role'"],
  ['a relabel replace has no target label', c => new Prometheus(c, 'p', {
    scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ sourceLabels: ['x'], action: RelabelAction.REPLACE }] }],
  }), "test/p: invalid 'scrapeJobs[a].relabelings[0].targetLabel'"],
  ['a hashmod relabeling has no modulus', c => new Prometheus(c, 'p', {
    scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ sourceLabels: ['x'], targetLabel: 'y', action: RelabelAction.HASHMOD }] }],
  }), "test/p: invalid 'scrapeJobs[a].relabelings[0].modulus'"],
  ['a relabel regex does not compile', c => new Prometheus(c, 'p', {
    scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], relabelings: [{ regex: '(', action: RelabelAction.LABELDROP }] }],
  }), "test/p: invalid 'scrapeJobs[a].relabelings[0].regex'"],
  ['a scrape timeout is longer than its job interval', c => new Prometheus(c, 'p', {
    scrapeJobs: [{ jobName: 'a', staticTargets: ['x:1'], scrapeInterval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) }],
  }), "test/p: invalid 'scrapeJobs[a].scrapeTimeout'"],
  ['a remote write URL is not http(s)', c => new Prometheus(c, 'p', { remoteWrite: [{ url: 'ftp://metrics.example.com/write' }] }), "test/p: invalid 'remoteWrite[0].url'"],
  ['two unnamed remote writes share a URL', c => new Prometheus(c, 'p', {
    remoteWrite: [{ url: 'https://metrics.example.com/write' }, { url: 'https://metrics.example.com/write' }],
  }), "test/p: invalid 'remoteWrite[1].url': 'https://metrics.example.com/write' is already an entry"],
  ['a remote read URL is not http(s)', c => new Prometheus(c, 'p', { remoteRead: [{ url: 'ftp://metrics.example.com/read' }] }), "test/p: invalid 'remoteRead[0].url'"],
  ['two remote reads share a name', c => new Prometheus(c, 'p', {
    remoteRead: [{ name: 'lts', url: 'https://a.example.com/read' }, { name: 'lts', url: 'https://b.example.com/read' }],
  }), "test/p: invalid 'remoteRead[1].name': 'lts' is used by another entry"],
  ['a PromQL expression does not parse', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'rate(x[5m]' }] }] }),
    "test/p: invalid 'ruleGroups[g].rules[0].expr'"],
  ['a recording rule name has label braces', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ record: 'job:up{x="1"}', expr: 'up' }] }] }),
    "test/p: invalid 'ruleGroups[g].rules[0].record'"],
  ['an alerting rule has no name', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ alert: '', expr: 'up == 0' }] }] }),
    "test/p: invalid 'ruleGroups[g].rules[0].alert'"],
  ['a rule group is empty', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [] }] }), "test/p: invalid 'ruleGroups[g].rules'"],
  ['two rule groups share a name', c => new Prometheus(c, 'p', { ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up' }] }, { name: 'g', rules: [{ alert: 'B', expr: 'up' }] }] }),
    "test/p: invalid 'ruleGroups'"],
  // Pod options of every component
  ['a Querier runs as root', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], runAs: { user: 0 } }), "test/q: invalid 'runAs.user'"],
  ['a Prometheus runs with group 0', c => new Prometheus(c, 'p', { runAs: { group: 0 } }), "test/p: invalid 'runAs.group'"],
  ['a Prometheus runs with fsGroup 0', c => new Prometheus(c, 'p', { runAs: { fsGroup: 0 } }), "test/p: invalid 'runAs.fsGroup'"],
  ['a component is in a Chart without namespace', (_c, app) => new Prometheus(new Chart(app, 'nons'), 'p'), "nons/p: invalid 'namespace'"],
  // Thanos
  ['a Querier has no store', c => new ThanosQuerier(c, 'q'), "test/q: invalid 'stores'"],
  ['a Querier has no replica', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], replicas: 0 }), "test/q: invalid 'replicas'"],
  ['a Querier gets the same store twice', c => { const p = new Prometheus(c, 'p'); new ThanosQuerier(c, 'q', { stores: [p, p] }); }, "test/q: invalid 'stores'"],
  ['a Querier is its own store', c => { const q = new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }); q.addStore(q); },
    "test/q: invalid 'stores': a querier cannot be its own store"],
  ['a Querier allows no concurrent query', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], maxConcurrentQueries: 0 }), "test/q: invalid 'maxConcurrentQueries'"],
  ['a Querier timeout is a fraction of a millisecond', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], queryTimeout: Duration.millis(0.25) }),
    "test/q: invalid 'queryTimeout'"],
  ['a Querier DNS interval is a fraction of a millisecond', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], dnsInterval: Duration.millis(0.5) }),
    "test/q: invalid 'dnsInterval'"],
  ['a Querier replica label has a dash', c => new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')], replicaLabels: ['a-b'] }), "test/q: invalid 'replicaLabels[0]'"],
  ['a Store Gateway has no replica', c => new ThanosStoreGateway(c, 'sg', { objectStorage: ObjectStorage.fromSecret('objstore'), replicas: 0 }), "test/sg: invalid 'replicas'"],
  ['the Compactor keeps raw data a fraction of a millisecond', c => compactor(c, { raw: Duration.millis(0.5) }), "test/compactor: invalid 'retention.raw'"],
  ['the Compactor keeps 5m data a fraction of a millisecond', c => compactor(c, { fiveMinutes: Duration.millis(0.5) }), "test/compactor: invalid 'retention.fiveMinutes'"],
  ['the Compactor keeps 1h data a fraction of a millisecond', c => compactor(c, { oneHour: Duration.millis(0.5) }), "test/compactor: invalid 'retention.oneHour'"],
  // Alertmanager
  ['an Alertmanager has no replica', c => new Alertmanager(c, 'am', { replicas: 0 }), "test/am: invalid 'replicas'"],
  ['the root route names an unknown receiver', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'pager' }, receivers: [{ name: 'null' }] } }),
    "test/am: invalid 'config.route.receiver'"],
  ['two receivers share a name', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'a' }, receivers: [{ name: 'a' }, { name: 'a' }] } }),
    "test/am: invalid 'config.receivers[1].name'"],
  ['a route matcher has no operator', c => new Alertmanager(c, 'am', { config: { route: { receiver: 'a', routes: [{ matchers: ['severity critical'] }] }, receivers: [{ name: 'a' }] } }),
    "test/am: invalid 'config.route.routes[0].matchers[0]'"],
  ['the repeat interval is shorter than the group interval', c => new Alertmanager(c, 'am', {
    config: { route: { receiver: 'a', groupInterval: Duration.minutes(10), repeatInterval: Duration.minutes(5) }, receivers: [{ name: 'a' }] },
  }), "test/am: invalid 'config.route.repeatInterval'"],
  ['an Alertmanager route prefix has a space', c => new Alertmanager(c, 'am', { routePrefix: '/alert manager' }), "test/am: invalid 'routePrefix'"],
  ['an Alertmanager data retention is a fraction of a millisecond', c => new Alertmanager(c, 'am', { dataRetention: Duration.millis(0.5) }), "test/am: invalid 'dataRetention'"],
  ['an Alertmanager has an empty set of template files', c => new Alertmanager(c, 'am', { templateFiles: {} }), "test/am: invalid 'templateFiles': is empty"],
  ['an Alertmanager template file does not end in .tmpl', c => new Alertmanager(c, 'am', { templateFiles: { 'slack.txt': '{{ define "x" }}{{ end }}' } }),
    "test/am: invalid 'templateFiles.slack.txt'"],
  ['a receiver credential is a plain path into the secrets folder', c => new Alertmanager(c, 'am', {
    config: { route: { receiver: 'a' }, receivers: [{ name: 'a', webhookConfigs: [{ urlFile: '/etc/alertmanager/secrets/hook/url' as unknown as SecretFile }] }] },
  }), "test/am: invalid 'config.receivers[0].webhookConfigs[0].urlFile'"],
  // Exporters
  ['a node exporter shares the Chart\'s restricted namespace', c => new NodeExporter(c, 'ne', { namespace: 'monitoring' }),
    "test/ne: invalid 'namespace': 'monitoring' is the Chart's namespace"],
  ['a node exporter namespace is not a DNS label', c => new NodeExporter(c, 'ne', { namespace: 'Node_Exporter' }), "test/ne: invalid 'namespace': 'Node_Exporter' must be"],
  ['a node exporter port is out of range', c => new NodeExporter(c, 'ne', { port: 70000 }), "test/ne: invalid 'port'"],
  ['kube-state-metrics exports no kind of object', c => new KubeStateMetrics(c, 'ksm', { exportedResources: [] }), "test/ksm: invalid 'exportedResources': needs at least one"],
  ['kube-state-metrics exports Secrets', c => new KubeStateMetrics(c, 'ksm', { exportedResources: ['secrets' as KubeStateMetricsResource] }),
    "test/ksm: invalid 'exportedResources[0]': secrets are not exported"],
  ['kube-state-metrics exports an unknown kind', c => new KubeStateMetrics(c, 'ksm', { exportedResources: ['pods', 'widgets' as KubeStateMetricsResource] }),
    "test/ksm: invalid 'exportedResources[1]': 'widgets' is not a kube-state-metrics resource"],
  ['kube-state-metrics reaches the API server on port 0', c => new KubeStateMetrics(c, 'ksm', { apiServerPorts: [0] }), "test/ksm: invalid 'apiServerPorts[0]'"],
  ['a blackbox exporter has no replica', c => new BlackboxExporter(c, 'bb', { replicas: 0 }), "test/bb: invalid 'replicas'"],
  ['a blackbox module name has a space', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.http({ name: 'http 2xx' })] }), "test/bb: invalid 'modules[http 2xx].name'"],
  ['a blackbox module times out at once', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.http({ timeout: Duration.seconds(0) })] }),
    "test/bb: invalid 'modules[http_2xx].timeout': must be longer than zero"],
  ['a blackbox module times out after a fraction of a millisecond', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.tcp({ timeout: Duration.millis(0.5) })] }),
    "test/bb: invalid 'modules[tcp_connect].timeout'"],
  ['an http module accepts status 99', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.http({ validStatusCodes: [99] })] }),
    "test/bb: invalid 'modules[http_2xx].validStatusCodes[0]'"],
  ['an http module body regex does not compile', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.http({ failIfBodyMatchesRegexp: ['('] })] }),
    "test/bb: invalid 'modules[http_2xx].failIfBodyMatchesRegexp[0]'"],
  ['an http module body regex has a lookahead', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.http({ failIfBodyNotMatchesRegexp: ['(?=ok)'] })] }),
    "test/bb: invalid 'modules[http_2xx].failIfBodyNotMatchesRegexp[0]'"],
  ['a tcp module expects a regex that does not compile', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.tcp({ queryResponse: [{ expect: '[' }] })] }),
    "test/bb: invalid 'modules[tcp_connect].queryResponse[0].expect'"],
  ['a dns module resolves no name', c => new BlackboxExporter(c, 'bb', { modules: [BlackboxModule.dns({ queryName: '' })] }), "test/bb: invalid 'modules[dns].queryName'"],
  ['two blackbox modules share a name but not their settings', c => new BlackboxExporter(c, 'bb', {
    modules: [BlackboxModule.http(), BlackboxModule.http({ method: 'HEAD' })],
  }), "test/bb: invalid 'modules': a module named 'http_2xx' exists with other settings"],
  ['a Prometheus probes without a blackbox exporter in its stack', c => new Prometheus(c, 'p').probe(['https://example.com'], BlackboxModule.http()),
    "test/p: invalid 'probe': no BlackboxExporter in the stack 'test'"],
  ['a Prometheus probes in a stack of two blackbox exporters', c => {
    new BlackboxExporter(c, 'bb1');
    new BlackboxExporter(c, 'bb2');
    new Prometheus(c, 'p').probe(['https://example.com'], BlackboxModule.http());
  }, "test/p: invalid 'probe.exporter': the stack has 2 BlackboxExporters"],
  ['a Prometheus probes no target', c => { new BlackboxExporter(c, 'bb'); new Prometheus(c, 'p').probe([], BlackboxModule.http()); },
    "test/p: invalid 'probe.targets': needs at least one target"],
  ['a Prometheus probes with a module the exporter lacks', c => { new BlackboxExporter(c, 'bb'); new Prometheus(c, 'p').probe(['https://example.com'], 'http_2xx'); },
    "test/p: invalid 'probe.module': 'http_2xx' is not a module of 'test/bb'"],
  ['an http probe target is no URL', c => { new BlackboxExporter(c, 'bb'); new Prometheus(c, 'p').probe(['example.com'], BlackboxModule.http()); },
    "test/p: invalid 'probe.targets[0]': 'example.com' must be an http:// or https:// URL"],
  // Pushgateway
  ['a Pushgateway has two replicas', c => new Pushgateway(c, 'pgw', { replicas: 2 }), "test/pgw: invalid 'replicas'"],
  ['a Pushgateway route prefix ends in a space', c => new Pushgateway(c, 'pgw', { routePrefix: '/push ' }), "test/pgw: invalid 'routePrefix'"],
  ['a Pushgateway has storage but no persistence', c => new Pushgateway(c, 'pgw', { persistence: { enabled: false, storage: { size: Size.gibibytes(1) } } }),
    "test/pgw: invalid 'persistence'"],
  ['a Pushgateway persists every fraction of a millisecond', c => new Pushgateway(c, 'pgw', { persistence: { interval: Duration.millis(0.5) } }),
    "test/pgw: invalid 'persistence.interval'"],
  // Images: the release each component runs (lib/images/versions)
  ['a Prometheus runs a release older than the oldest supported', c => new Prometheus(c, 'p', { image: ContainerImage.of('quay.io/prometheus/prometheus', 'v2.11.1') }),
    "test/p: invalid 'image': Prometheus v2.11.1 is older than the oldest supported v2.53.0"],
  ['a Querier runs a Thanos older than the oldest supported', c => new ThanosQuerier(c, 'q', {
    stores: [new Prometheus(c, 'p')], image: ContainerImage.of('quay.io/thanos/thanos', 'v0.30.0'),
  }), "test/q: invalid 'image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
  ['a Thanos sidecar runs a Thanos older than the oldest supported', c => new Prometheus(c, 'p', { thanos: { image: ContainerImage.of('quay.io/thanos/thanos', 'v0.30.0') } }),
    "test/p: invalid 'thanos.image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
  ['a config reloader is older than the oldest supported', c => new Alertmanager(c, 'am', {
    configReloader: { image: ContainerImage.of('quay.io/prometheus-operator/prometheus-config-reloader', 'v0.70.0') },
  }), "test/am: invalid 'configReloader.image': prometheus-config-reloader v0.70.0 is older than the oldest supported v0.75.0"],
  ["an image's tag is no version and it does not say which release it runs", c => new Pushgateway(c, 'pgw', {
    image: ContainerImage.of('registry.example.com/pushgateway', 'main-abc123'),
  }), "test/pgw: invalid 'image': the tag 'main-abc123' of 'registry.example.com/pushgateway' is not a version"],
  ['an Alertmanager 0.27 gets an msteamsv2 receiver (0.28 and later)', c => new Alertmanager(c, 'am', {
    image: ContainerImage.of('quay.io/prometheus/alertmanager', 'v0.27.0'),
    config: { route: { receiver: 't' }, receivers: [{ name: 't', msteamsV2Configs: [{ webhookUrlFile: SecretFile.fromSecret('teams', 'url') }] }] },
  }), "test/am: invalid 'config.receivers[0].msteamsV2Configs': needs Alertmanager v0.28.0 or later, the image runs v0.27.0"],
  ["an Alertmanager 0.30 gets a WeChat receiver's api_secret_file (0.31 and later)", c => new Alertmanager(c, 'am', {
    image: ContainerImage.of('quay.io/prometheus/alertmanager', 'v0.30.0'),
    config: { route: { receiver: 'w' }, receivers: [{ name: 'w', wechatConfigs: [{ corpId: 'c', agentId: '1', toParty: '2', apiSecretFile: SecretFile.fromSecret('wechat', 's') }] }] },
  }), "test/am: invalid 'config.receivers[0].wechatConfigs[0].apiSecretFile': needs Alertmanager v0.31.0 or later, the image runs v0.30.0"],
  ['an Alertmanager 0.27 gets a global smtp_tls_config (0.28 and later)', c => new Alertmanager(c, 'am', {
    image: ContainerImage.of('quay.io/prometheus/alertmanager', 'v0.27.0'),
    config: { global: { smtpTlsConfig: { serverName: 'smtp.example.com' } }, route: { receiver: 'n' }, receivers: [{ name: 'n' }] },
  }), "test/am: invalid 'config.global.smtpTlsConfig': needs Alertmanager v0.28.0 or later, the image runs v0.27.0"],
  // Ingress
  ['an Ingress has no TLS', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', prometheus: new Prometheus(c, 'p') }), "test/ing: invalid 'tlsSecretName'"],
  ['an Ingress TLS Secret name is not a Secret name', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 'Monitoring TLS' }),
    "test/ing: invalid 'tlsSecretName': 'Monitoring TLS' must be a lowercase RFC 1123 label"],
  ['an Ingress has TLS and allows insecure HTTP', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't', allowInsecureHttp: true }),
    "test/ing: invalid 'allowInsecureHttp'"],
  ['an Ingress host is not a host name', c => new MonitoringIngress(c, 'ing', { host: 'Not A Host', tlsSecretName: 't' }), "test/ing: invalid 'host'"],
  ['an Ingress route has no host', c => new MonitoringIngress(c, 'ing', { tlsSecretName: 't', prometheus: new Prometheus(c, 'p') }), "test/ing: invalid 'prometheus.host'"],
  ['an added route has an invalid host', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't' }).addRoute(new Prometheus(c, 'p'), { host: 'not a host' }),
    "test/ing: invalid 'routes.host': 'not a host' is not a valid DNS host name"],
  ['an Ingress routes to another namespace', (c, app) => new MonitoringIngress(c, 'ing', {
    host: 'm.example.com', tlsSecretName: 't', querier: new ThanosQuerier(new Chart(app, 'other', { namespace: 'other' }), 'q', { stores: [new Prometheus(c, 'p')] }),
  }), "test/ing: invalid 'querier': 'other/q' is in namespace 'other'"],
  ['two Ingress routes want the same prefix', c => new MonitoringIngress(c, 'ing', {
    host: 'm.example.com', tlsSecretName: 't',
    prometheus: new Prometheus(c, 'p', { routePrefix: '/x' }), alertmanager: new Alertmanager(c, 'am', { routePrefix: '/x/' }),
  }), "test/ing: invalid 'alertmanager'"],
  ['an Ingress routes to nothing', c => new MonitoringIngress(c, 'ing', { host: 'm.example.com', tlsSecretName: 't' }), "test/ing: invalid 'routes'"],
  // MonitoringChart
  ['a chart exposes a disabled Pushgateway', (_c, app) => new MonitoringChart(app, 'mon', {
    namespace: 'monitoring', pushgateway: { enabled: false }, ingress: { host: 'm.example.com', tlsSecretName: 't', exposePushgateway: true },
  }), "mon: invalid 'ingress.exposePushgateway'"],
  ['a chart has a Querier but no Prometheus', (_c, app) => new MonitoringChart(app, 'mon', { namespace: 'monitoring', prometheus: { enabled: false } }), "mon: invalid 'querier'"],
  ['a chart has a Store Gateway but no bucket', (_c, app) => new MonitoringChart(app, 'mon', { namespace: 'monitoring', storeGateway: { enabled: true } }),
    "mon: invalid 'storeGateway': needs a bucket"],
  ['a chart has a Compactor but no bucket', (_c, app) => new MonitoringChart(app, 'mon', { namespace: 'monitoring', compactor: { enabled: true } }),
    "mon: invalid 'compactor': needs a bucket"],
  // Object storage and ServiceAccounts
  ['a filesystem bucket has two Store Gateway replicas', c => new ThanosStoreGateway(c, 'sg', { objectStorage: ObjectStorage.filesystem('/var/thanos/bucket') }),
    "test/sg: invalid 'objectStorage': ObjectStorage.filesystem is a directory of one pod"],
  ['a bucket ServiceAccount name is not a DNS label', c => new ThanosCompactor(c, 'compactor', {
    objectStorage: ObjectStorage.fromSecret('objstore'), serviceAccount: { name: 'Thanos_SA' },
  }), "test/compactor: invalid 'serviceAccount.name'"],
  ['an existing bucket ServiceAccount gets annotations', c => new ThanosCompactor(c, 'compactor', {
    objectStorage: ObjectStorage.fromSecret('objstore'), serviceAccount: { create: false, annotations: { a: 'b' } },
  }), "test/compactor: invalid 'serviceAccount.annotations'"],
  // Grafana
  ['a Grafana has two replicas but no database', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, replicas: 2 }),
    "test/g: invalid 'replicas': 2 replicas need an external database"],
  ['a Grafana has no replica', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, replicas: 0 }), "test/g: invalid 'replicas': must be an integer >= 1"],
  ['a Grafana has storage and a database', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url') }, storage: { size: Size.gibibytes(1) },
  }), "test/g: invalid 'storage'"],
  ['a Grafana has no admin Secret', c => new Grafana(c, 'g', {} as ConstructorParameters<typeof Grafana>[2]), "test/g: invalid 'adminCredentials.secretName': is required"],
  ['a Grafana admin Secret name has capitals', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'Grafana' } }), "test/g: invalid 'adminCredentials.secretName'"],
  ['a Grafana admin user key would leave the mount', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin', userKey: '../user' } }),
    "test/g: invalid 'adminCredentials.userKey'"],
  ['a Grafana admin password key has a space', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin', passwordKey: 'pass word' } }),
    "test/g: invalid 'adminCredentials.passwordKey'"],
  ['a Grafana database URL is a literal string', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, database: { urlSecret: 'postgres://grafana:pw@db/grafana' as unknown as SecretFile },
  }), "test/g: invalid 'database.urlSecret': 'postgres://grafana:pw@db/grafana' is not a SecretFile"],
  ['a Grafana database port is 0', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, database: { urlSecret: SecretFile.fromSecret('grafana-db', 'url'), port: 0 },
  }), "test/g: invalid 'database.port'"],
  ['a Grafana secret key is a literal string', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, secretKey: 'hunter2' as unknown as SecretFile }),
    "test/g: invalid 'secretKey'"],
  ['a Grafana route prefix has no leading slash', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, routePrefix: 'grafana' }), "test/g: invalid 'routePrefix'"],
  ['a Grafana external URL has no scheme', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, externalUrl: 'grafana.example.com' }),
    "test/g: invalid 'externalUrl': 'grafana.example.com' must be an http(s) URL"],
  ['a Grafana external URL misses its sub path', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, routePrefix: '/grafana', externalUrl: 'https://ops.example.com',
  }), "test/g: invalid 'externalUrl': 'https://ops.example.com' must end in the route prefix '/grafana'"],
  ['a Grafana dashboards folder is blank', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, dashboardsFolder: ' ' }), "test/g: invalid 'dashboardsFolder'"],
  ['a Grafana gets the same datasource twice', c => {
    const p = new Prometheus(c, 'p');
    new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, datasources: [p, p] });
  }, "test/g: invalid 'datasources': 'test/p' is already a datasource"],
  ['two Grafana datasources would share a uid', (c, app) => {
    const a = new Prometheus(new Chart(app, 'x', { namespace: 'b' }), 'a-b');
    const b = new Prometheus(new Chart(app, 'y', { namespace: 'b-b' }), 'a');
    new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, datasources: [a, b] });
  }, "test/g: invalid 'datasources': 'y/a' and 'x/a-b' would both be datasource 'a-b-b'"],
  ['a Grafana dashboard name is not a DNS label', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'My Board', json: { title: 'x' } }] }),
    "test/g: invalid 'dashboards.My Board'"],
  ['a Grafana dashboard is added twice', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, dashboards: [GrafanaDashboards.prometheus(), GrafanaDashboards.prometheus()],
  }), "test/g: invalid 'dashboards.prometheus': a dashboard named 'prometheus' is already added"],
  ['a Grafana dashboard is not JSON', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'd', json: '{"title": ' }] }),
    "test/g: invalid 'dashboards.d': is not JSON"],
  ['a Grafana dashboard is a JSON array', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'd', json: '[]' }] }),
    "test/g: invalid 'dashboards.d': must be a dashboard JSON object"],
  ['a Grafana dashboard has no title', c => new Grafana(c, 'g', { adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'd', json: { uid: 'd' } }] }),
    "test/g: invalid 'dashboards.d': has no title"],
  ['two Grafana dashboards share a uid', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'a', json: { title: 'A', uid: 'u' } }, { name: 'b', json: { title: 'B', uid: 'u' } }],
  }), "test/g: invalid 'dashboards.b': has uid 'u', like dashboard 'a'"],
  ['a Grafana dashboard is over 1 MiB', c => new Grafana(c, 'g', {
    adminCredentials: { secretName: 'grafana-admin' }, dashboards: [{ name: 'big', json: { title: 'Big', description: 'x'.repeat(1024 * 1024) } }],
  }), "test/g: invalid 'dashboards.big': is 1048618 bytes of JSON, more than the 1 MiB a ConfigMap holds"],
  // Thanos Ruler
  ['a Ruler has no replica', c => new ThanosRuler(c, 'r', { queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], replicas: 0 }),
    "test/r: invalid 'replicas'"],
  ['a Ruler replica label has a dash', c => new ThanosRuler(c, 'r', { queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], replicaLabel: 'ruler-replica' }),
    "test/r: invalid 'replicaLabel'"],
  ['a Ruler external label name has a dash', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], externalLabels: { 'bad-label': 'x' },
  }), "test/r: invalid 'externalLabels.bad-label'"],
  ['a Ruler external label is named like its replica label', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], externalLabels: { replica: 'x' },
  }), "test/r: invalid 'externalLabels': 'replica' is the replica label"],
  ['a Ruler evaluates every zero seconds', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], evaluationInterval: Duration.seconds(0),
  }), "test/r: invalid 'evaluationInterval': must be longer than zero"],
  ['a Ruler evaluates every fraction of a millisecond', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], evaluationInterval: Duration.millis(0.5),
  }), "test/r: invalid 'evaluationInterval': 0.5 must be a whole number"],
  ['a Ruler retention is a fraction of a millisecond', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], retention: Duration.millis(0.5),
  }), "test/r: invalid 'retention'"],
  ['a Ruler alert query URL is not http(s)', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], alertQueryUrl: 'ftp://thanos.example.com',
  }), "test/r: invalid 'alertQueryUrl'"],
  ['a Ruler has no querier', c => new ThanosRuler(c, 'r', { queriers: [], ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] }),
    "test/r: invalid 'queriers': a ThanosRuler needs at least one query API"],
  ['a Ruler gets the same querier twice', c => { const q = new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }); new ThanosRuler(c, 'r', { queriers: [q, q] }); },
    "test/r: invalid 'queriers': 'test/q' is already added"],
  ['a Ruler querier answers on no HTTP URL', c => {
    const q = new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] });
    new ThanosRuler(c, 'r', { queriers: [Object.create(q, { queryUrl: { value: 'ftp://querier.monitoring.svc:21' } })] });
  }, "test/r: invalid 'queriers': 'ftp://querier.monitoring.svc:21', the query URL of test/q, is not http(s)"],
  ['a Ruler has no rule group', c => new ThanosRuler(c, 'r', { queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })] }),
    "test/r: invalid 'ruleGroups': a ThanosRuler without rule groups evaluates nothing"],
  ['two Ruler rule groups share a name', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up' }] }, { name: 'g', rules: [{ alert: 'B', expr: 'up' }] }],
  }), "test/r: invalid 'ruleGroups': a group named 'g' already exists"],
  ['a Ruler rule does not parse', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], ruleGroups: [{ name: 'g', rules: [{ alert: 'Broken', expr: 'sum(up' }] }],
  }), "test/r: invalid 'ruleGroups[g].rules[0].expr'"],
  ['a Ruler gets the same Alertmanager twice', c => {
    const am = new Alertmanager(c, 'am');
    new ThanosRuler(c, 'r', { queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], alertmanagers: [am, am] });
  }, "test/r: invalid 'alertmanagers': 'test/am' is already added"],
  ['a Ruler of two replicas uploads to a filesystem bucket', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], objectStorage: ObjectStorage.filesystem('/var/thanos/bucket'),
  }), "test/r: invalid 'objectStorage': ObjectStorage.filesystem is a directory of one pod"],
  ['a Ruler runs a Thanos older than the oldest supported', c => new ThanosRuler(c, 'r', {
    queriers: [new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] })], image: ContainerImage.of('quay.io/thanos/thanos', 'v0.30.0'),
  }), "test/r: invalid 'image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
  // Thanos Query Frontend
  ['a Query Frontend runs a Thanos older than the oldest supported', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), image: ContainerImage.of('quay.io/thanos/thanos', 'v0.30.0'),
  }), "test/qf: invalid 'image': Thanos v0.30.0 is older than the oldest supported v0.31.0"],
  ['a Query Frontend has no replica', c => new ThanosQueryFrontend(c, 'qf', { querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), replicas: 0 }),
    "test/qf: invalid 'replicas'"],
  ['a Query Frontend is in front of a Prometheus under a route prefix', c => new ThanosQueryFrontend(c, 'qf', { querier: new Prometheus(c, 'p', { routePrefix: '/prometheus' }) }),
    "test/qf: invalid 'querier': test/p serves under '/prometheus'"],
  ['a Query Frontend querier has a query URL that is no URL', c => {
    const q = new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] });
    new ThanosQueryFrontend(c, 'qf', { querier: Object.create(q, { queryUrl: { value: 'querier:10902' } }) });
  }, "test/qf: invalid 'querier': 'querier:10902', the query URL of test/q, is not an http(s) URL"],
  ['a Query Frontend splits queries by zero', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), splitInterval: Duration.seconds(0),
  }), "test/qf: invalid 'splitInterval': must be longer than zero"],
  ['a Query Frontend splits queries by a fraction of a millisecond', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), splitInterval: Duration.millis(0.5),
  }), "test/qf: invalid 'splitInterval': 0.5 must be a whole number"],
  ['a Query Frontend cache freshness is a fraction of a millisecond', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), maxCacheFreshness: Duration.millis(0.5),
  }), "test/qf: invalid 'maxCacheFreshness'"],
  ['a Query Frontend retries a negative number of times', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), maxRetries: -1,
  }), "test/qf: invalid 'maxRetries'"],
  ['a Query Frontend logs queries slower than a fraction of a millisecond', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), logQueriesLongerThan: Duration.millis(0.5),
  }), "test/qf: invalid 'logQueriesLongerThan'"],
  ['a Query Frontend in-memory cache takes more than half its memory limit', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.inMemory({ maxSize: Size.mebibytes(768) }),
  }), "test/qf: invalid 'cache.maxSize': 768MiB is more than half the memory limit (1024MiB)"],
  ['a Query Frontend in-memory cache is smaller than 1 MiB', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.inMemory({ maxSize: Size.kibibytes(512) }),
  }), "test/qf: invalid 'cache.maxSize': must be a whole number of KiB, at least 1024KiB"],
  ['a Query Frontend in-memory cache validity is a fraction of a millisecond', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.inMemory({ validity: Duration.millis(0.5) }),
  }), "test/qf: invalid 'cache.validity'"],
  ['a Query Frontend memcached cache has no server', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: [] }),
  }), "test/qf: invalid 'cache.addresses': needs at least one memcached server"],
  ['a Query Frontend memcached address has no port', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['memcached.cache.svc'] }),
  }), "test/qf: invalid 'cache.addresses[0]': 'memcached.cache.svc' must be host:port"],
  ['a Query Frontend memcached cache lists a server twice', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['m.cache.svc:11211', 'm.cache.svc:11211'] }),
  }), "test/qf: invalid 'cache.addresses': lists a server twice"],
  ['a Query Frontend memcached SRV name is not _port._tcp.service', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['dnssrv+memcached.cache.svc'], ports: [11211] }),
  }), "test/qf: invalid 'cache.addresses[0]': 'dnssrv+memcached.cache.svc' must be dnssrv+_<port>._tcp.<service>"],
  ['a Query Frontend memcached cache found through DNS SRV has no ports', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['dnssrv+_memcache._tcp.memcached.cache.svc'] }),
  }), "test/qf: invalid 'cache.ports': a dnssrv+ address names no port"],
  ['a Query Frontend memcached cache has an empty port list', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['dnssrv+_memcache._tcp.memcached.cache.svc'], ports: [] }),
  }), "test/qf: invalid 'cache.ports': needs at least one port"],
  ['a Query Frontend memcached port is out of range', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['m.cache.svc:11211'], ports: [70000] }),
  }), "test/qf: invalid 'cache.ports[0]'"],
  ['a Query Frontend memcached timeout is a fraction of a millisecond', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['m.cache.svc:11211'], timeout: Duration.millis(0.5) }),
  }), "test/qf: invalid 'cache.timeout'"],
  ['a Query Frontend memcached item size is half a KiB', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['m.cache.svc:11211'], maxItemSize: Size.kibibytes(0.5) }),
  }), "test/qf: invalid 'cache.maxItemSize'"],
  ['a Query Frontend memcached expiration is zero', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.memcached({ addresses: ['m.cache.svc:11211'], expiration: Duration.seconds(0) }),
  }), "test/qf: invalid 'cache.expiration': must be longer than zero"],
  ['a Query Frontend Redis address has no port', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.redis({ address: 'redis.cache.svc' }),
  }), "test/qf: invalid 'cache.address': 'redis.cache.svc' must be host:port"],
  ['a Query Frontend Redis database is negative', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.redis({ address: 'redis.cache.svc:6379', db: -1 }),
  }), "test/qf: invalid 'cache.db'"],
  ['a Query Frontend Redis expiration is zero', c => new ThanosQueryFrontend(c, 'qf', {
    querier: new ThanosQuerier(c, 'q', { stores: [new Prometheus(c, 'p')] }), cache: QueryFrontendCache.redis({ address: 'redis.cache.svc:6379', expiration: Duration.seconds(0) }),
  }), "test/qf: invalid 'cache.expiration': must be longer than zero"],
  // MonitoringChart: Ruler and Query Frontend
  ['a chart has a Ruler but no Querier', (_c, app) => new MonitoringChart(app, 'mon', {
    namespace: 'monitoring', querier: { enabled: false }, ruler: { ruleGroups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }] }] },
  }), "mon: invalid 'ruler'"],
  ['a chart has a Query Frontend but no Querier', (_c, app) => new MonitoringChart(app, 'mon', { namespace: 'monitoring', querier: { enabled: false }, queryFrontend: {} }),
    "mon: invalid 'queryFrontend'"],
];

/**
 * Wrong arguments of the factories that make values outside any construct:
 * [what is wrong, the call, the start of the error]. Each must throw an
 * InvalidValueError naming the factory and the argument: `<factory>: invalid '<argument>'`.
 */
const valueCases: Array<[string, () => unknown, string]> = [
  ['an image repository has capitals', () => ContainerImage.of('Quay.io/prometheus/prometheus', 'v3.5.0'), "ContainerImage.of: invalid 'repository'"],
  ['an image tag has a space', () => ContainerImage.of('quay.io/prometheus/prometheus', 'v3 beta'), "ContainerImage.of: invalid 'tag': 'v3 beta' of 'quay.io/prometheus/prometheus' is not a valid tag"],
  ['an image digest is not sha256:<64 hex digits>', () => ContainerImage.of('quay.io/thanos/thanos', 'v0.42.4', 'sha256:abc'),
    "ContainerImage.of: invalid 'digest': 'sha256:abc' of 'quay.io/thanos/thanos' must be sha256:<64 hex digits>"],
  ['an image reference floats on latest', () => ContainerImage.fromReference('quay.io/prometheus/prometheus:latest'),
    "ContainerImage.fromReference: invalid 'tag': 'quay.io/prometheus/prometheus:latest' floats: pin a version tag"],
  ['an image reference has no tag', () => ContainerImage.fromReference('quay.io/prometheus/prometheus'), "ContainerImage.fromReference: invalid 'reference': 'quay.io/prometheus/prometheus' has no tag"],
  ['an image gets a digest of another algorithm', () => ContainerImage.of('quay.io/thanos/thanos', 'v0.42.4').withDigest('md5:0123'), "ContainerImage.withDigest: invalid 'digest'"],
  ['an image says it runs a release that is no version', () => ContainerImage.of('registry.example.com/thanos', 'fix-1234', { version: 'newest' }),
    "ContainerImage.of: invalid 'version': 'newest' of 'registry.example.com/thanos' is not a version"],
  ['a remote store address is a URL, not host:port', () => RemoteStoreApi.at('https://store.example.com'), "RemoteStoreApi.at: invalid 'address'"],
  ['a remote store CIDR is not one', () => RemoteStoreApi.at('store.example.com:443', { cidr: 'eu-west' }), "RemoteStoreApi.at: invalid 'cidr'"],
  ['a remote store client certificate has no key', () => RemoteStoreApi.at('store.example.com:443', { tls: { certFile: SecretFile.fromSecret('c', 'tls.crt') } }),
    "RemoteStoreApi.at: invalid 'tls.keyFile'"],
  ['a remote store key has no client certificate', () => RemoteStoreApi.at('store.example.com:443', { tls: { keyFile: SecretFile.fromSecret('c', 'tls.key') } }),
    "RemoteStoreApi.at: invalid 'tls.certFile'"],
  ['an oauth2-proxy URL has no scheme', () => IngressAuth.oauth2Proxy('auth.example.com/oauth2'), "IngressAuth.oauth2Proxy: invalid 'url': 'auth.example.com/oauth2' must be an http(s) URL"],
  ['namespaced discovery lists no namespace', () => DiscoveryScope.namespaces([]), "DiscoveryScope.namespaces: invalid 'namespaces': needs at least one namespace"],
  ['a Secret name has capitals', () => SecretFile.fromSecret('Team_Hook', 'url'), "SecretFile.fromSecret: invalid 'secretName': 'Team_Hook' must be a Secret name"],
  ['a Secret key would leave the mount', () => SecretFile.fromSecret('team-hook', '..url'), "SecretFile.fromSecret: invalid 'key': '..url' must be a key of Secret 'team-hook'"],
  // Object storage (each validation also has a case in test/thanos/objstore/providers.test.ts)
  ['an objstore Secret name has capitals', () => ObjectStorage.fromSecret('Objstore'), "ObjectStorage.fromSecret: invalid 'secretName'"],
  ['an objstore Secret key has a slash', () => ObjectStorage.fromSecret('objstore', 'a/b'), "ObjectStorage.fromSecret: invalid 'key'"],
  ['an objstore Secret has no port', () => ObjectStorage.fromSecret('objstore', 'objstore.yml', { ports: [] }), "ObjectStorage.fromSecret: invalid 'options.ports'"],
  ['an S3 bucket has capitals', () => ObjectStorage.s3({ bucket: 'Metrics', endpoint: 's3.amazonaws.com' }), "ObjectStorage.s3: invalid 'bucket'"],
  ['an S3 endpoint has a scheme', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 'https://s3.amazonaws.com' }), "ObjectStorage.s3: invalid 'endpoint'"],
  ['an S3 region has a space', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', region: 'eu west' }), "ObjectStorage.s3: invalid 'region'"],
  ['an S3 bucket lookup is unknown', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', bucketLookup: 'dns' as S3BucketLookup }),
    "ObjectStorage.s3: invalid 'bucketLookup'"],
  ['an S3 prefix is only slashes', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', prefix: '/' }), "ObjectStorage.s3: invalid 'prefix'"],
  ['an S3 configMapName has capitals', () => ObjectStorage.s3({ bucket: 'metrics', endpoint: 's3.amazonaws.com', configMapName: 'A' }),
    "ObjectStorage.s3: invalid 'configMapName'"],
  ['a GCS bucket has a slash', () => ObjectStorage.gcs({ bucket: 'a/b' }), "ObjectStorage.gcs: invalid 'bucket'"],
  ['a GCS prefix is empty', () => ObjectStorage.gcs({ bucket: 'metrics', prefix: '' }), "ObjectStorage.gcs: invalid 'prefix'"],
  ['a GCS configMapName ends with a dash', () => ObjectStorage.gcs({ bucket: 'metrics', configMapName: 'objstore-' }), "ObjectStorage.gcs: invalid 'configMapName'"],
  ['an Azure storage account has a dash', () => ObjectStorage.azure({ storageAccount: 'a-b', container: 'thanos' }), "ObjectStorage.azure: invalid 'storageAccount'"],
  ['an Azure container has a double dash', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'a--b' }), "ObjectStorage.azure: invalid 'container'"],
  ['an Azure endpoint has a scheme', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', endpoint: 'https://x' }), "ObjectStorage.azure: invalid 'endpoint'"],
  ['an Azure prefix is only a slash', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', prefix: '/' }), "ObjectStorage.azure: invalid 'prefix'"],
  ['an Azure configMapName has an underscore', () => ObjectStorage.azure({ storageAccount: 'metrics', container: 'thanos', configMapName: 'a_b' }),
    "ObjectStorage.azure: invalid 'configMapName'"],
  ['a filesystem bucket directory is relative', () => ObjectStorage.filesystem('data'), "ObjectStorage.filesystem: invalid 'directory'"],
  ['an S3 key Secret has capitals', () => S3Credentials.fromSecret('Keys'), "S3Credentials.fromSecret: invalid 'secretName'"],
  ['an S3 access key id key has a slash', () => S3Credentials.fromSecret('keys', { accessKeyId: 'a/b' }), "S3Credentials.fromSecret: invalid 'keys.accessKeyId'"],
  ['an S3 secret access key key has a slash', () => S3Credentials.fromSecret('keys', { secretAccessKey: 'a/b' }), "S3Credentials.fromSecret: invalid 'keys.secretAccessKey'"],
  ['an S3 session token key has a slash', () => S3Credentials.fromSecret('keys', { sessionToken: 'a/b' }), "S3Credentials.fromSecret: invalid 'keys.sessionToken'"],
  ['an IRSA role ARN is a user', () => S3Credentials.irsa('arn:aws:iam::123456789012:user/thanos'), "S3Credentials.irsa: invalid 'roleArn'"],
  ['a GCS key Secret has capitals', () => GcsCredentials.fromSecret('Gcs'), "GcsCredentials.fromSecret: invalid 'secretName'"],
  ['a GCS key file key has a slash', () => GcsCredentials.fromSecret('gcs', 'a/b'), "GcsCredentials.fromSecret: invalid 'key'"],
  ['a GKE workload identity is no service account', () => GcsCredentials.workloadIdentity('thanos@example.com'), "GcsCredentials.workloadIdentity: invalid 'gcpServiceAccount'"],
  ['an Azure key Secret has capitals', () => AzureCredentials.accountKey('Az'), "AzureCredentials.accountKey: invalid 'secretName'"],
  ['an Azure key key has a slash', () => AzureCredentials.accountKey('az', 'a/b'), "AzureCredentials.accountKey: invalid 'key'"],
  ['an Azure client id is no GUID', () => AzureCredentials.workloadIdentity({ clientId: 'thanos', tenantId: '66666666-7777-8888-9999-000000000000' }),
    "AzureCredentials.workloadIdentity: invalid 'clientId'"],
  ['an Azure tenant id is no GUID', () => AzureCredentials.workloadIdentity({ clientId: '11111111-2222-3333-4444-555555555555', tenantId: 'contoso' }),
    "AzureCredentials.workloadIdentity: invalid 'tenantId'"],
  ['an Azure authority host is plain HTTP', () => AzureCredentials.workloadIdentity({
    clientId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', authorityHost: 'http://login.example.com/',
  }), "AzureCredentials.workloadIdentity: invalid 'authorityHost'"],
  ['a Grafana dashboard file cannot be read', () => GrafanaDashboards.fromFile('d', '/nonexistent/d.json'), "GrafanaDashboards.fromFile: invalid 'path': cannot read '/nonexistent/d.json'"],
];

describe('bad input fails at synth time, naming the construct and the prop', () => {
  test.each(cases)('fails when %s', (_name, build, expected) => {
    // GIVEN an app that writes to a fresh output folder
    const outdir = mkdtempSync(join(tmpdir(), 'bad-input-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'test', { namespace: 'monitoring' });
      // WHEN the stack is built and synthesized
      const run = () => {
        build(chart, app);
        app.synth();
      };
      // THEN it throws a message that starts with the construct path and names the prop
      expect(run).toThrow(expected);
      // ...and nothing half-written is left for `kubectl apply -f dist/`
      expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('bad arguments of value factories throw InvalidValueError, naming the factory and the argument', () => {
  test.each(valueCases)('fails when %s', (_name, make, expected) => {
    // GIVEN / WHEN the value is made
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    // THEN it throws an InvalidValueError whose message starts with the factory and names the argument
    expect(error).toBeInstanceOf(InvalidValueError);
    expect((error as Error).message.startsWith(expected)).toBe(true);
  });
});

/**
 * Validation sites in these files build their props from a `field` their
 * caller passes (`${field}.name`): the config renderers, and the rule-test
 * runner that renders with them. test/config/** tests them with the config
 * models directly, so a case there counts as much as one here.
 */
const CONFIG_FILES = /^lib\/(config|testing)\//;
/**
 * Config validations no test yet names (`<file> <prop argument>`). This list
 * may only shrink: a new validation needs a case in test/config/** or above,
 * and an entry whose validation gets one must go.
 */
const CONFIG_GAPS = [
  'lib/config/alertmanager/http.ts `${field}.authorization`',
  'lib/config/alertmanager/http.ts `${field}.authorization.credentialsFile`',
  'lib/config/alertmanager/http.ts `${field}.basicAuth.username`',
  'lib/config/alertmanager/http.ts `${field}.oauth2`',
  'lib/config/alertmanager/http.ts `${field}.oauth2.clientId`',
  'lib/config/alertmanager/http.ts `${field}.oauth2.clientSecretFile`',
  'lib/config/alertmanager/http.ts `${field}.oauth2.tokenUrl`',
  'lib/config/alertmanager/http.ts `${field}.proxyUrl`',
  'lib/config/alertmanager/inhibit.ts `${f}.sourceMatchers[${j}]`',
  'lib/config/alertmanager/receivers/email.ts `${field}.authPasswordFile`',
  'lib/config/alertmanager/receivers/email.ts `${field}.authSecretFile`',
  'lib/config/alertmanager/receivers/email.ts `${field}.tlsConfig`',
  'lib/config/alertmanager/receivers/msteams.ts `${field}.httpConfig`',
  'lib/config/alertmanager/receivers/opsgenie.ts `${f}.type`',
  'lib/config/alertmanager/receivers/opsgenie.ts `${field}.apiUrl`',
  'lib/config/alertmanager/receivers/opsgenie.ts `${field}.httpConfig`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.httpConfig`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.images[${i}].src`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.links[${i}].href`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.routingKeyFile`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.serviceKeyFile`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.timeout`',
  'lib/config/alertmanager/receivers/pagerduty.ts `${field}.url`',
  'lib/config/alertmanager/receivers/slack.ts `${field}.appUrl`',
  'lib/config/alertmanager/receivers/slack.ts `${field}.fields[${i}].title`',
  'lib/config/alertmanager/receivers/slack.ts `${field}.fields[${i}].value`',
  'lib/config/alertmanager/receivers/slack.ts `${field}.httpConfig`',
  'lib/config/alertmanager/receivers/slack.ts `${field}.timeout`',
  'lib/config/alertmanager/receivers/telegram.ts `${field}.apiUrl`',
  'lib/config/alertmanager/receivers/telegram.ts `${field}.chatIdFile`',
  'lib/config/alertmanager/receivers/telegram.ts `${field}.httpConfig`',
  'lib/config/alertmanager/receivers/telegram.ts `${field}.messageThreadId`',
  'lib/config/alertmanager/receivers/webhook.ts `${field}.timeout`',
  'lib/config/alertmanager/receivers/wechat.ts `${field}.apiUrl`',
  'lib/config/alertmanager/receivers/wechat.ts `${field}.httpConfig`',
  'lib/config/common/http-client.ts `${field}.basicAuthUsername`',
  'lib/config/common/http-client.ts `${field}.basicAuthUsernameFile`',
  'lib/config/common/http-client.ts `${field}.certFile`',
  'lib/config/common/http-client.ts `${field}.minVersion`',
  "lib/config/common/http-client.ts field = 'tls'",
  'lib/config/common/secret-mounts.ts `${path}[${i}]`',
  'lib/config/prometheus/relabel.ts `${field}.action`',
  'lib/config/prometheus/relabel.ts `${field}.sourceLabels[${i}]`',
  'lib/config/prometheus/remote-storage.ts `${field}.auth`',
  'lib/config/prometheus/remote-storage.ts `${field}.batchSendDeadline`',
  'lib/config/prometheus/remote-storage.ts `${field}.capacity`',
  'lib/config/prometheus/remote-storage.ts `${field}.maxBackoff`',
  'lib/config/prometheus/remote-storage.ts `${field}.maxSamplesPerSend`',
  'lib/config/prometheus/remote-storage.ts `${field}.maxShards`',
  'lib/config/prometheus/remote-storage.ts `${field}.metadataSendInterval`',
  'lib/config/prometheus/remote-storage.ts `${field}.minBackoff`',
  'lib/config/prometheus/remote-storage.ts `${field}.remoteTimeout`',
  'lib/config/prometheus/remote-storage.ts `${field}.requiredMatchers.${l}`',
  'lib/config/prometheus/remote-storage.ts `${field}.sampleAgeLimit`',
  'lib/config/prometheus/remote-storage.ts `${field}.tls`',
  'lib/config/prometheus/remote-storage.ts `${field}.writeRelabelings`',
  'lib/config/prometheus/scrape-job.ts `${field}.fileSd[${i}]`',
  'lib/config/prometheus/scrape-job.ts `${field}.files`',
  'lib/config/prometheus/scrape-job.ts `${field}.files[${i}]`',
  'lib/config/prometheus/scrape-job.ts `${field}.jobName`',
  'lib/config/prometheus/scrape-job.ts `${field}.metricsPath`',
  'lib/config/prometheus/scrape-job.ts `${field}.names`',
  'lib/config/prometheus/scrape-job.ts `${field}.names[${i}]`',
  'lib/config/prometheus/scrape-job.ts `${field}.namespaces[${i}]`',
  'lib/config/prometheus/scrape-job.ts `${field}.params`',
  'lib/config/prometheus/scrape-job.ts `${field}.refreshInterval`',
  'lib/config/prometheus/scrape-job.ts `${field}.sampleLimit`',
  'lib/config/prometheus/scrape-job.ts `${field}.scheme`',
  'lib/config/prometheus/scrape-job.ts `${field}.selectors`',
  'lib/config/prometheus/scrape-job.ts `${field}.staticLabels`',
  'lib/config/prometheus/scrape-job.ts `${field}.tls`',
  'lib/config/prometheus/scrape-job.ts `${field}.type`',
  'lib/config/prometheus/scrape-job.ts f',
  'lib/config/rules/rule-group.ts `${f}.for`',
  'lib/config/rules/rule-group.ts `${f}.keepFiringFor`',
  'lib/config/rules/rule-group.ts `${field}.queryOffset`',
  'lib/config/rules/rule-tests.ts `${f}.externalLabels`',
  'lib/config/rules/rule-tests.ts `${f}.inputSeries`',
  'lib/config/rules/rule-tests.ts `${f}.interval`',
  'lib/config/rules/rule-tests.ts `${field}.evalTime`',
  'lib/config/rules/rule-tests.ts `${field}.expAlerts[${i}].expAnnotations.${k}`',
  'lib/config/rules/rule-tests.ts `${field}.expSamples[${i}].labels`',
];

describe('every validated prop has a bad-input case', () => {
  const sites = findValidationSites(ROOT);
  const here = [...cases.map(([, , expected]) => expected), ...valueCases.map(([, , expected]) => expected)];
  const inConfigTests = expectedPropsIn(testFilesUnder(join(ROOT, 'test', 'config')));
  const show = (s: ValidationSite) => `${s.location} ${s.written} -> ${s.factories ? `${s.factories.join('|')}: ` : ''}${s.props.slice(0, 3).join(', ')}${s.props.length > 3 ? ', …' : ''}`;
  const key = (s: ValidationSite) => `${s.file} ${s.written}`;

  test('the analysis follows props through helpers, renderers, constants and factories', () => {
    // GIVEN the sites of lib/
    const props = (file: string, written: string) => sites.filter(s => s.file === file && s.written === written).flatMap(s => s.props);
    // WHEN / THEN a literal prop, a loop over a literal list, a renderer called with a prefix,
    // a renderer passed as an argument, a string default and a factory named by its callers are each resolved
    expect(props('lib/prometheus/prometheus-shards.ts', "'replicas'")).toEqual(['replicas']);
    expect(props('lib/private/pod-template.ts', '`runAs.${key}`')).toEqual(['runAs.fsGroup', 'runAs.group', 'runAs.user']);
    expect(props('lib/prometheus/prometheus-config.ts', '`scrapeJobs[${job.jobName}]`')).toContain('scrapeJobs[*].relabelings[*].regex');
    expect(props('lib/config/alertmanager/receivers/email.ts', '`${field}.to`')).toEqual(['config.receivers[*].emailConfigs[*].to']);
    expect(props('lib/ingress/monitoring-ingress.ts', "prop = 'routes'")).toEqual(['routes', 'routes.host']);
    expect(sites.find(s => s.file === 'lib/images/container-image.ts' && s.written === "factory, 'digest'")?.factories)
      .toEqual(['ContainerImage.fromReference', 'ContainerImage.of', 'ContainerImage.withDigest']);
  });

  test('every validation of a construct, a pod option or a factory has a case above', () => {
    // GIVEN the sites outside the config renderers
    const own = sites.filter(s => !CONFIG_FILES.test(s.file));
    // WHEN each is matched against the expected messages above
    const missing = own.filter(s => !here.some(m => s.matches(m))).map(show);
    // THEN none is missing
    expect(own.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  test('every validation of the config renderers has a case above or in test/config, but for the listed gaps', () => {
    // GIVEN the sites of the config renderers, and what test/config/** expects
    const config = sites.filter(s => CONFIG_FILES.test(s.file));
    const messages = [...here, ...inConfigTests];
    // WHEN each is matched against both
    const missing = [...new Set(config.filter(s => !messages.some(m => s.matches(m))).map(key))].sort();
    // THEN only the known gaps are missing, and each of them still is
    expect(missing.filter(k => !CONFIG_GAPS.includes(k))).toEqual([]);
    expect(CONFIG_GAPS.filter(k => !missing.includes(k))).toEqual([]);
  });

  test('every case names a prop that lib/ validates', () => {
    // GIVEN / WHEN the expected messages above that no site could produce
    const stale = here.filter(m => !sites.some(s => s.matches(m)));
    // THEN there are none (a case for a prop that was renamed or dropped would be dead)
    expect(stale).toEqual([]);
  });
});
