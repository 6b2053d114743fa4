import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-27';
import { parse } from 'yaml';
import {
  MonitoringIngress, PrerequisiteKind, Prerequisites, Prometheus, QueryFrontendCache, SecretFile, ThanosQuerier, ThanosQueryFrontend,
} from '../../lib';
import { K8sSchema } from '../support/k8s-schema';
import { container, find, flagValues, givenChart, Manifest, synth } from '../support/synth';

const identity = {
  'app.kubernetes.io/component': 'query-cache',
  'app.kubernetes.io/instance': 'frontend',
  'app.kubernetes.io/managed-by': 'cdk8s',
  'app.kubernetes.io/name': 'thanos-query-frontend',
  'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
};

/**
 * The yaml tags of the cache config, from Thanos v0.42.4, all parsed with
 * yaml.UnmarshalStrict but the in-memory config (so any other key is a
 * startup error):
 * - pkg/queryfrontend/config.go: CacheProviderConfig `type`, `config`;
 *   InMemoryResponseCacheConfig `max_size`, `max_size_items`, `validity`;
 *   Memcached- and RedisResponseCacheConfig: the client config inline plus `expiration`.
 * - pkg/cacheutil/memcached_client.go: MemcachedClientConfig.
 * - pkg/cacheutil/redis_client.go: RedisClientConfig.
 */
const PROVIDER_KEYS = ['type', 'config'];
const IN_MEMORY_KEYS = ['max_size', 'max_size_items', 'validity'];
const MEMCACHED_KEYS = [
  'addresses', 'timeout', 'max_idle_connections', 'max_async_concurrency', 'max_async_buffer_size', 'max_get_multi_concurrency',
  'max_item_size', 'max_get_multi_batch_size', 'dns_provider_update_interval', 'auto_discovery', 'set_async_circuit_breaker_config', 'expiration',
];
const REDIS_KEYS = [
  'addr', 'prefix', 'username', 'password', 'db', 'dial_timeout', 'read_timeout', 'write_timeout', 'max_get_multi_concurrency',
  'get_multi_batch_size', 'max_set_multi_concurrency', 'set_multi_batch_size', 'tls_enabled', 'tls_config', 'cache_size', 'master_name',
  'max_async_buffer_size', 'max_async_concurrency', 'set_async_circuit_breaker_config', 'expiration',
];

/** Go's time.Duration syntax, which yaml.v2 parses durations with (no `d`). */
const GO_DURATION = /^(\d+(h|m|s|ms))+$/;

function stack(querierPrefix?: string) {
  const { app, chart } = givenChart();
  const prometheus = new Prometheus(chart, 'prometheus');
  const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus], routePrefix: querierPrefix });
  return { app, chart, prometheus, querier };
}

const frontendArgs = (manifests: Manifest[]): string[] => container(find(manifests, 'Deployment', 'frontend'), 'thanos-query-frontend').args;
const cacheFile = (manifests: Manifest[]) => parse(find(manifests, 'ConfigMap', 'frontend-cache').data['response-cache.yaml']);

describe('ThanosQueryFrontend', () => {
  test('renders its objects, all labelled: cache ConfigMap, Deployment of 2 behind a PDB, Service, NetworkPolicy', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', { querier });
    const manifests = synth(chart).filter(m => m.metadata.labels?.['app.kubernetes.io/name'] === 'thanos-query-frontend');
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/frontend-cache',
      'Deployment/frontend',
      'Service/frontend',
      'PodDisruptionBudget/frontend',
      'NetworkPolicy/frontend',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => identity));
    expect(find(manifests, 'Deployment', 'frontend').spec.replicas).toBe(2);
    expect(find(manifests, 'PodDisruptionBudget', 'frontend').spec.maxUnavailable).toBe(1);
    expect(find(manifests, 'Service', 'frontend').spec.ports).toEqual([{ name: 'http', port: 10902, targetPort: 'http' }]);
  });

  test('renders exactly these container args: the querier root as downstream, split by a day, an in-memory cache file', () => {
    // GIVEN
    const { chart, querier } = stack('/thanos');
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', { querier });
    const manifests = synth(chart);
    // THEN
    expect(frontendArgs(manifests)).toEqual([
      'query-frontend',
      '--log.level=info',
      '--log.format=logfmt',
      '--http-address=0.0.0.0:10902',
      '--query-frontend.downstream-url=http://querier.monitoring.svc:10902',
      '--query-range.split-interval=24h',
      '--query-range.max-retries-per-request=5',
      '--query-range.response-cache-max-freshness=1m',
      '--query-range.response-cache-config-file=/etc/thanos/cache/response-cache.yaml',
    ]);
    const deployment = find(manifests, 'Deployment', 'frontend');
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'cache-config', configMap: { name: 'frontend-cache' } }]);
    expect(container(deployment, 'thanos-query-frontend').volumeMounts).toEqual([{ name: 'cache-config', mountPath: '/etc/thanos/cache', readOnly: true }]);
  });

  test('the settings can be changed, and render as Go durations', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', {
      querier, splitInterval: Duration.hours(12), maxCacheFreshness: Duration.minutes(5), maxRetries: 0, logQueriesLongerThan: Duration.seconds(10), logLevel: 'debug',
    });
    const args = frontendArgs(synth(chart));
    // THEN
    expect(args).toEqual(expect.arrayContaining([
      '--log.level=debug', '--query-range.split-interval=12h', '--query-range.response-cache-max-freshness=5m',
      '--query-range.max-retries-per-request=0', '--query-frontend.log-queries-longer-than=10s',
    ]));
  });

  test('is a Thanos query API under the querier prefix it passes through', () => {
    // GIVEN
    const { chart, querier } = stack('/thanos');
    // WHEN
    const frontend = new ThanosQueryFrontend(chart, 'frontend', { querier });
    // THEN
    expect(frontend.queryUrl).toBe('http://frontend.monitoring.svc:10902/thanos');
    expect(frontend.queryPort).toEqual({ name: 'http', port: 10902 });
    expect(frontend.queryApiFlavor).toBe('Thanos');
    expect(frontend.routePrefix).toBe('/thanos');
    expect(frontend.downstreamUrl).toBe('http://querier.monitoring.svc:10902');
    // AND at the root, when the querier is
    const root = stack();
    expect(new ThanosQueryFrontend(root.chart, 'frontend', { querier: root.querier }).queryUrl).toBe('http://frontend.monitoring.svc:10902');
  });

  test('in-memory cache by default: 256MiB per replica, in the v0.42.4 format', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    const frontend = new ThanosQueryFrontend(chart, 'frontend', { querier });
    const file = cacheFile(synth(chart));
    // THEN
    expect(file).toEqual({ type: 'IN-MEMORY', config: { max_size: '256MiB' } });
    expect(parse(frontend.renderCacheConfig())).toEqual(file);
    expect(PROVIDER_KEYS).toEqual(expect.arrayContaining(Object.keys(file)));
    expect(IN_MEMORY_KEYS).toEqual(expect.arrayContaining(Object.keys(file.config)));
  });

  test('an in-memory cache with a size and validity', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', {
      querier, cache: QueryFrontendCache.inMemory({ maxSize: Size.gibibytes(1), validity: Duration.hours(6) }),
      resources: { memory: { limit: Size.gibibytes(4) } },
    });
    // THEN
    const file = cacheFile(synth(chart));
    expect(file).toEqual({ type: 'IN-MEMORY', config: { max_size: '1GiB', validity: '6h' } });
    expect(file.config.validity).toMatch(GO_DURATION);
  });

  test('a memcached cache: every address, the v0.42.4 client fields, egress to their ports', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    const frontend = new ThanosQueryFrontend(chart, 'frontend', {
      querier,
      cache: QueryFrontendCache.memcached({ addresses: ['dns+memcached.cache.svc:11211', 'memcached-2.cache.svc:11212'], expiration: Duration.hours(12) }),
    });
    const manifests = synth(chart);
    // THEN
    const file = cacheFile(manifests);
    expect(file).toEqual({
      type: 'MEMCACHED',
      config: { addresses: ['dns+memcached.cache.svc:11211', 'memcached-2.cache.svc:11212'], timeout: '500ms', max_item_size: '1023KiB', expiration: '12h' },
    });
    expect(MEMCACHED_KEYS).toEqual(expect.arrayContaining(Object.keys(file.config)));
    expect(file.config.timeout).toMatch(GO_DURATION);
    expect(frontend.renderCacheConfig()).toContain('type: MEMCACHED');
    expect(find(manifests, 'NetworkPolicy', 'frontend').spec.egress).toContainEqual({ ports: [{ port: 11211, protocol: 'TCP' }, { port: 11212, protocol: 'TCP' }] });
  });

  test('a memcached cache found through DNS SRV needs its ports for the NetworkPolicy', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', {
      querier, cache: QueryFrontendCache.memcached({ addresses: ['dnssrv+_memcache._tcp.memcached.cache.svc'], ports: [11211], maxItemSize: Size.kibibytes(512) }),
    });
    const manifests = synth(chart);
    // THEN
    expect(cacheFile(manifests).config).toMatchObject({ addresses: ['dnssrv+_memcache._tcp.memcached.cache.svc'], max_item_size: '512KiB' });
    expect(find(manifests, 'NetworkPolicy', 'frontend').spec.egress).toContainEqual({ ports: [{ port: 11211, protocol: 'TCP' }] });
  });

  test('a Redis cache: the password from a Secret as an environment variable the file refers to, never in the ConfigMap', () => {
    // GIVEN
    const { chart, querier } = stack();
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', {
      querier, cache: QueryFrontendCache.redis({ address: 'redis.cache.svc:6379', passwordFile: SecretFile.fromSecret('redis', 'password'), db: 2 }),
    });
    const manifests = synth(chart);
    // THEN
    const file = cacheFile(manifests);
    expect(file).toEqual({ type: 'REDIS', config: { addr: 'redis.cache.svc:6379', password: '$(THANOS_CACHE_REDIS_PASSWORD)', db: 2, expiration: '24h' } });
    expect(REDIS_KEYS).toEqual(expect.arrayContaining(Object.keys(file.config)));
    expect(container(find(manifests, 'Deployment', 'frontend'), 'thanos-query-frontend').env).toEqual([
      { name: 'THANOS_CACHE_REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis', key: 'password' } } },
    ]);
    expect(find(manifests, 'NetworkPolicy', 'frontend').spec.egress).toContainEqual({ ports: [{ port: 6379, protocol: 'TCP' }] });
    // AND the password's Secret is a prerequisite of the frontend
    expect(Prerequisites.of(chart).filter(p => p.kind === PrerequisiteKind.SECRET)).toEqual([expect.objectContaining({
      name: 'redis', keys: ['password'], neededBy: ['test/frontend'], why: ["the results cache's THANOS_CACHE_REDIS_PASSWORD (QueryFrontendCache.redis passwordFile)"],
    })]);
  });

  test('NetworkPolicy: exactly the wiring (DNS and its querier; the Prometheus that scrapes it; an Ingress controller that exposes it)', () => {
    // GIVEN
    const { chart, querier } = stack();
    const frontend = new ThanosQueryFrontend(chart, 'frontend', { querier });
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', querier: frontend });
    const manifests = synth(chart);
    // THEN
    const pods = (name: string, instance = name) => ({ podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': instance } } });
    const policy = find(manifests, 'NetworkPolicy', 'frontend').spec;
    expect(policy.egress).toEqual([
      { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      { to: [pods('thanos-query', 'querier')], ports: [{ port: 10902, protocol: 'TCP' }] },
    ]);
    expect(policy.ingress).toEqual([
      { from: [pods('prometheus')], ports: [{ port: 10902, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 10902, protocol: 'TCP' }] },
    ]);
    // AND the querier lets it in; the Ingress controller no longer reaches the querier
    const querierPolicy = find(manifests, 'NetworkPolicy', 'querier').spec;
    expect(querierPolicy.ingress).toContainEqual({ from: [pods('thanos-query-frontend', 'frontend')], ports: [{ port: 10902, protocol: 'TCP' }] });
    expect(JSON.stringify(querierPolicy.ingress)).not.toContain('ingress-nginx');
  });

  test('behind a path-based Ingress in the querier slot: routed at /thanos, the querier serving under it, the frontend passing the path through', () => {
    // GIVEN a querier without a routePrefix
    const { chart, querier } = stack();
    const frontend = new ThanosQueryFrontend(chart, 'frontend', { querier });
    // WHEN the Ingress routes the frontend as its querier
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', querier: frontend });
    const manifests = synth(chart);
    // THEN the /thanos route goes to the frontend's Service
    const paths = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths;
    expect(paths.find((p: any) => p.path === '/thanos')).toEqual({ path: '/thanos', pathType: 'Prefix', backend: { service: { name: 'frontend', port: { name: 'http' } } } });
    // AND the querier serves under /thanos, the frontend's downstream stays its root, its query URL has the prefix
    expect(flagValues(container(find(manifests, 'Deployment', 'querier'), 'thanos-query').args, '--web.route-prefix')).toEqual(['/thanos']);
    expect(flagValues(frontendArgs(manifests), '--query-frontend.downstream-url')).toEqual(['http://querier.monitoring.svc:10902']);
    expect(frontend.queryUrl).toBe('http://frontend.monitoring.svc:10902/thanos');
    expect(frontend.externalUrl).toBe('https://m.example.com/thanos');
  });

  test("its stack's Prometheus scrapes the endpoints of its Service at the root", () => {
    // GIVEN
    const { chart, prometheus, querier } = stack('/thanos');
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', { querier });
    const job = parse(prometheus.renderConfig()).scrape_configs.find((j: any) => j.job_name === 'thanos-query-frontend-frontend');
    // THEN
    expect(job.metrics_path).toBeUndefined();
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'endpoints', namespaces: { names: ['monitoring'] } }]);
    expect(job.relabel_configs[0]).toMatchObject({ source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], regex: 'frontend;http', action: 'keep' });
  });

  test('restricted pods as the Thanos image user 1001, probes at the root, requests and limits, spread when replicated', () => {
    // GIVEN
    const { chart, querier } = stack('/thanos');
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', { querier });
    new ThanosQueryFrontend(chart, 'single', { querier, replicas: 1, resources: { cpu: { limit: Cpu.millis(500) } } });
    const manifests = synth(chart);
    // THEN
    const pod = find(manifests, 'Deployment', 'frontend').spec.template.spec;
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, runAsNonRoot: true }));
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    const c = container(find(manifests, 'Deployment', 'frontend'), 'thanos-query-frontend');
    expect(c.image).toBe('quay.io/thanos/thanos:v0.42.4');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'http' });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '1024Mi' } });
    expect(container(find(manifests, 'Deployment', 'single'), 'thanos-query-frontend').resources.limits.cpu).toBe('500m');
    expect(manifests.some(m => m.kind === 'PodDisruptionBudget' && m.metadata.name === 'single')).toBe(false);
  });

  test('its objects pass the strict Kubernetes 1.27 schema with each cache', () => {
    // GIVEN
    const { chart, querier } = stack('/thanos');
    // WHEN
    new ThanosQueryFrontend(chart, 'frontend', { querier });
    new ThanosQueryFrontend(chart, 'memcached', { querier, cache: QueryFrontendCache.memcached({ addresses: ['memcached.cache.svc:11211'] }) });
    new ThanosQueryFrontend(chart, 'redis', { querier, cache: QueryFrontendCache.redis({ address: 'redis.cache.svc:6379', passwordFile: SecretFile.fromSecret('redis', 'pw') }) });
    // THEN
    expect(K8sSchema.load().validateAll(synth(chart))).toEqual([]);
  });
});
