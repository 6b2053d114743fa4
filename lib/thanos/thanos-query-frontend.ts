import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { invalid, validateCount } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, checkedArgs, supportedVersion } from '../images/versions/support';
import { ReplicatedPodOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { THANOS_USER } from '../pod/security';
import { PrerequisiteKind } from '../prerequisites/prerequisites';
import { Component } from '../private/component';
import { container } from '../private/container';
import { goDurationProp } from '../private/durations';
import { healthProbes } from '../private/probes';
import { IIngressTarget, IQueryApi, NamedPort } from '../wiring/interfaces';
import { NetworkPeer } from '../wiring/network-graph';
import { QueryFrontendCache } from './query-frontend/cache';

/** Props of {@link ThanosQueryFrontend}. */
export interface ThanosQueryFrontendProps extends ReplicatedPodOptions {
  /**
   * The query API the frontend sits in front of: a ThanosQuerier (or any
   * Thanos query API). A Prometheus only without a route prefix: the
   * frontend checks `<downstream>/-/ready`, which a prefixed Prometheus
   * serves only below its prefix.
   */
  readonly querier: IQueryApi;
  /** Replicas; with the in-memory cache each keeps its own. @default 2 */
  readonly replicas?: number;
  /** The Thanos image; its release decides which flags are rendered and checked. @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /**
   * Where query results are cached.
   * @default QueryFrontendCache.inMemory(): 256 MiB in each replica
   */
  readonly cache?: QueryFrontendCache;
  /**
   * Range queries are split into queries of this interval, run in parallel
   * and cached each (a dashboard's last day is then computed once).
   * @default Duration.hours(24)
   */
  readonly splitInterval?: Duration;
  /**
   * Results more recent than this are never cached: they may still change
   * (late samples, a sidecar not yet uploaded).
   * @default Duration.minutes(1)
   */
  readonly maxCacheFreshness?: Duration;
  /**
   * Retries of a failed range query part before the error is returned.
   * @default 5
   */
  readonly maxRetries?: number;
  /**
   * Log queries slower than this.
   * @default none logged
   */
  readonly logQueriesLongerThan?: Duration;
  /** Log level (`--log.level`). @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Requests and limits; the memory limit must hold twice an in-memory cache. @default 100m/512Mi requested, 1 CPU/1Gi limit */
  readonly resources?: Resources;
}

const HTTP_PORT: NamedPort = { name: 'http', port: 10902 };
const CACHE_DIR = '/etc/thanos/cache';
const CACHE_FILE = 'response-cache.yaml';
const DEFAULT_MEMORY_LIMIT = Size.gibibytes(1);

/**
 * Thanos Query Frontend: a stateless Deployment in front of a Querier that
 * splits range queries by interval, runs the parts in parallel, retries
 * failed parts and caches the results (in memory, memcached or Redis).
 *
 * It has no route prefix of its own: it passes every path through to its
 * querier, so it serves under the querier's prefix (`/thanos`) and an Ingress
 * or Grafana can point at it instead of the querier. Its downstream URL is
 * the querier's root (`--query-frontend.downstream-url`), because Thanos
 * checks `<downstream-url>/-/ready` (cmd/thanos/query_frontend.go), which a
 * Thanos querier serves at the root whatever its prefix.
 */
export class ThanosQueryFrontend extends Component implements IQueryApi, IIngressTarget {
  public readonly replicas: number;
  public readonly webPort = HTTP_PORT;
  public readonly queryPort = HTTP_PORT;
  public readonly queryApiFlavor = 'Thanos';
  /** Name of the Service (port `http`). */
  public readonly serviceName: string;
  /** The query API the frontend forwards to. */
  public readonly querier: IQueryApi;
  /** The ConfigMap holding the results cache config. */
  public readonly cacheConfigMap: k8s.KubeConfigMap;
  /** The Deployment: the default child. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service (port `http`). */
  public readonly service: k8s.KubeService;

  private readonly cacheFile: string;
  private ingressUrl?: string;

  constructor(scope: Construct, id: string, props: ThanosQueryFrontendProps) {
    super(scope, id, { app: 'thanos-query-frontend', role: 'query-cache' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.serviceName = this.identity.name;
    this.querier = props.querier;
    const image = props.image ?? DefaultImages.THANOS;
    const version = supportedVersion(this, 'image', image, BINARIES.thanos);
    // The querier's prefix may still change (an Ingress routing it by path): checked when all is known.
    this.node.addValidation({ validate: () => this.checkDownstream() });

    const splitInterval = goDurationProp(this, 'splitInterval', props.splitInterval ?? Duration.hours(24));
    // Thanos refuses a zero split interval with a results cache, and there always is one.
    if (splitInterval === '0s') invalid(this, 'splitInterval', 'must be longer than zero: the results cache is kept per split');
    const freshness = goDurationProp(this, 'maxCacheFreshness', props.maxCacheFreshness ?? Duration.minutes(1));
    const maxRetries = validateCount(this, 'maxRetries', props.maxRetries ?? 5, 0);
    const slowQueries = goDurationProp(this, 'logQueriesLongerThan', props.logQueriesLongerThan);

    const cache = (props.cache ?? QueryFrontendCache.inMemory()).bind(this, 'cache');
    this.cacheFile = cache.file;
    // The Redis password: the one Secret the cache reads.
    this.requires(...cache.env.flatMap(e => e.valueFrom?.secretKeyRef?.name ? [{
      kind: PrerequisiteKind.SECRET, name: e.valueFrom.secretKeyRef.name, keys: [e.valueFrom.secretKeyRef.key], why: `the results cache's ${e.name} (QueryFrontendCache.redis passwordFile)`,
    }] : []));
    if (cache.inMemorySize) {
      const limit = props.resources?.memory?.limit ?? DEFAULT_MEMORY_LIMIT;
      if (cache.inMemorySize.toMebibytes() * 2 > limit.toMebibytes()) {
        invalid(this, 'cache.maxSize', `${cache.inMemorySize.toMebibytes()}MiB is more than half the memory limit (${limit.toMebibytes()}MiB): `
          + 'lower it, or raise resources.memory.limit');
      }
    }
    this.cacheConfigMap = this.createConfigMap('cache', { [CACHE_FILE]: cache.file });

    this.connectTo(NetworkPeer.component(props.querier), [props.querier.queryPort]);
    if (cache.egressPorts.length) this.connectTo(NetworkPeer.anywhere(), cache.egressPorts);
    // No stable pod names (a Deployment): its Service's endpoints are scraped, at the root.
    this.serveMetrics(this.replicas, [{ job: this.metricsJob(), port: HTTP_PORT, service: this.serviceName }]);

    this.deployment = this.createDeployment(this.replicas, this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? THANOS_USER }, {
      containers: [container({
        name: 'thanos-query-frontend',
        image,
        // Every flag checked against what the image's Thanos release takes.
        args: Lazy.any({ produce: () => checkedArgs(this, 'image', BINARIES.thanos, version, [
          'query-frontend',
          `--log.level=${props.logLevel ?? 'info'}`,
          '--log.format=logfmt',
          `--http-address=0.0.0.0:${HTTP_PORT.port}`,
          `--query-frontend.downstream-url=${this.downstreamUrl}`,
          `--query-range.split-interval=${splitInterval}`,
          `--query-range.max-retries-per-request=${maxRetries}`,
          `--query-range.response-cache-max-freshness=${freshness}`,
          `--query-range.response-cache-config-file=${CACHE_DIR}/${CACHE_FILE}`,
          ...(slowQueries === undefined ? [] : [`--query-frontend.log-queries-longer-than=${slowQueries}`]),
        ]) }),
        env: cache.env.length ? cache.env : undefined,
        ports: [HTTP_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(512), limit: DEFAULT_MEMORY_LIMIT } },
        volumeMounts: [{ name: 'cache-config', mountPath: CACHE_DIR, readOnly: true }],
        // Ready once the downstream answers its /-/ready (checked every 10s); probes are served at the root.
        probes: healthProbes(HTTP_PORT.name),
      })],
      volumes: [{ name: 'cache-config', configMap: { name: this.cacheConfigMap.name } }],
    }));
    this.service = this.createService({ ports: [HTTP_PORT] });
    this.protect(this.replicas);
  }

  /** `--query-frontend.downstream-url`: the querier's scheme, host and port, without its prefix. */
  public get downstreamUrl(): string {
    return this.downstream().root;
  }

  /** The querier's route prefix, which the frontend passes requests through under. */
  public get routePrefix(): string {
    return this.downstream().prefix;
  }

  /** Behind a path-based Ingress: the querier's conventional path (`/thanos`). */
  public get conventionalPath(): string {
    return isIngressTarget(this.querier) ? this.querier.conventionalPath : '/thanos';
  }

  /**
   * Serves under `path` by having the querier serve under it (the frontend
   * passes paths through), unless the querier's `routePrefix` was set.
   */
  public routeUnder(path: string): string {
    return isIngressTarget(this.querier) ? this.querier.routeUnder(path) : this.routePrefix;
  }

  /** The query API in the cluster, under the querier's route prefix. */
  public get queryUrl(): string {
    const prefix = this.routePrefix;
    return `http://${this.serviceHost(this.serviceName)}:${HTTP_PORT.port}${prefix === '/' ? '' : prefix}`;
  }

  /** Called by an Ingress that exposes this frontend. */
  public exposedAt(url: string): void {
    this.ingressUrl ??= url;
  }

  /** The public URL an Ingress serves the frontend at, if any. */
  public get externalUrl(): string | undefined {
    return this.ingressUrl;
  }

  /** The rendered results cache config (for tests and tools). */
  public renderCacheConfig(): string {
    return this.cacheFile;
  }

  /** The querier's root URL (the downstream) and route prefix, from its query URL. */
  private downstream(): { root: string; prefix: string } {
    let url: URL | undefined;
    try {
      url = new URL(this.querier.queryUrl);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      invalid(this, 'querier', `'${this.querier.queryUrl}', the query URL of ${this.querier.node.path}, is not an http(s) URL`);
    }
    return { root: `${url.protocol}//${url.host}`, prefix: url.pathname.replace(/\/+$/, '') || '/' };
  }

  private checkDownstream(): string[] {
    const prefix = this.routePrefix;
    if (this.querier.queryApiFlavor !== 'Prometheus' || prefix === '/') return [];
    return [`${this.node.path}: invalid 'querier': ${this.querier.node.path} serves under '${prefix}', but a Prometheus serves /-/ready only there, `
      + 'and the frontend checks <downstream>/-/ready at the root: put a ThanosQuerier in front of it, or give it routePrefix \'/\''];
  }
}

function isIngressTarget(x: IQueryApi): x is IQueryApi & IIngressTarget {
  return typeof (x as Partial<IIngressTarget>).routeUnder === 'function';
}
