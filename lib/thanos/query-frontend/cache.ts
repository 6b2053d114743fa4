import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../../imports/k8s';
import { SecretFile } from '../../config/common/secret-file';
import { compact } from '../../config/common/validate';
import { invalid, validatePort } from '../../errors';
import { goDurationProp } from '../../private/durations';
import { NamedPort } from '../../wiring/interfaces';

/*
 * The results cache of `thanos query-frontend --query-range.response-cache-config-file`,
 * in the format of Thanos v0.42.4:
 * - pkg/queryfrontend/config.go: `CacheProviderConfig{type, config}` parsed with
 *   yaml.UnmarshalStrict; `type` IN-MEMORY (InMemoryResponseCacheConfig:
 *   max_size, max_size_items, validity), MEMCACHED (MemcachedResponseCacheConfig:
 *   the memcached client's fields inline, plus expiration), REDIS
 *   (RedisResponseCacheConfig: the redis client's fields inline, plus expiration).
 * - pkg/cacheutil/memcached_client.go: MemcachedClientConfig (addresses, timeout,
 *   max_idle_connections, …, max_item_size, dns_provider_update_interval); the
 *   addresses are resolved by the DNS provider, so `dns+` and `dnssrv+` work.
 * - pkg/cacheutil/redis_client.go: RedisClientConfig (addr, username, password,
 *   db, …). It has no password file: the password comes from the environment,
 *   `$(VAR)` being substituted in the file (the flag is registered with
 *   extflag.WithEnvSubstitution in cmd/thanos/query_frontend.go).
 * Durations are Go's time.Duration (yaml.v2 parses them with time.ParseDuration);
 * sizes are parsed by go-humanize (in-memory max_size) and alecthomas/units
 * ParseBase2Bytes (memcached max_item_size), which both read `256MiB`.
 */

/** Options of {@link QueryFrontendCache.inMemory}. */
export interface InMemoryCacheOptions {
  /**
   * Most memory the cached results take in each replica; at most half of the
   * container's memory limit, the rest is for the queries in flight.
   * @default Size.mebibytes(256)
   */
  readonly maxSize?: Size;
  /**
   * How long a cached result stays valid.
   * @default never expires: the oldest results are evicted when the cache is full
   */
  readonly validity?: Duration;
}

/** Options of {@link QueryFrontendCache.memcached}. */
export interface MemcachedCacheOptions {
  /**
   * The memcached servers: `host:port`, `dns+host:port` (every A/AAAA record)
   * or `dnssrv+_port._tcp.service` (every SRV record), e.g.
   * `dnssrv+_memcache._tcp.memcached.cache.svc`.
   */
  readonly addresses: string[];
  /**
   * TCP ports of the servers, for the NetworkPolicy's egress.
   * @default the ports of `addresses` (needed for `dnssrv+` addresses, which name none)
   */
  readonly ports?: number[];
  /**
   * Socket read/write timeout.
   * @default Duration.millis(500)
   */
  readonly timeout?: Duration;
  /**
   * Results larger than this are not cached. Keep it 1 KiB below memcached's
   * item size limit (`-I`, 1 MiB by default): that limit counts memcached's
   * item header and the key too, so a value of exactly the limit is refused.
   * @default Size.kibibytes(1023): the largest value a default memcached stores
   */
  readonly maxItemSize?: Size;
  /**
   * How long a cached result stays valid.
   * @default Duration.hours(24)
   */
  readonly expiration?: Duration;
}

/** Options of {@link QueryFrontendCache.redis}. */
export interface RedisCacheOptions {
  /** The Redis server, `host:port`. */
  readonly address: string;
  /**
   * The password, a key of a Secret in the Query Frontend's namespace. Thanos
   * reads no password file, so the key reaches the container as an
   * environment variable (`valueFrom.secretKeyRef`) that the cache config
   * refers to as `$(VAR)`; the config itself holds no credential.
   * @default no password
   */
  readonly passwordFile?: SecretFile;
  /**
   * The database number.
   * @default 0
   */
  readonly db?: number;
  /**
   * How long a cached result stays valid.
   * @default Duration.hours(24)
   */
  readonly expiration?: Duration;
}

/** What a bound cache adds to the Query Frontend. @internal */
export interface BoundCache {
  /** The cache config file. */
  readonly file: string;
  /** Environment the file refers to (`$(VAR)`). */
  readonly env: k8s.EnvVar[];
  /** TCP ports the cache servers listen on; none for the in-memory cache. */
  readonly egressPorts: NamedPort[];
  /** The in-memory cache's size, to check against the memory limit. */
  readonly inMemorySize?: Size;
}

type CacheSpec =
  | { readonly type: 'IN-MEMORY'; readonly options: InMemoryCacheOptions }
  | { readonly type: 'MEMCACHED'; readonly options: MemcachedCacheOptions }
  | { readonly type: 'REDIS'; readonly options: RedisCacheOptions };

const REDIS_PASSWORD_ENV = 'THANOS_CACHE_REDIS_PASSWORD';
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;
const SRV_NAME = /^_[A-Za-z0-9-]+\._(tcp|udp)\.[A-Za-z0-9_.-]+$/;

/** Renders a Size as go-humanize and alecthomas/units both read it: `256MiB`, `512KiB`, `1GiB`. */
function byteSize(scope: IConstruct, field: string, size: Size, min: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib < min.toKibibytes()) {
    invalid(scope, field, `must be a whole number of KiB, at least ${min.toKibibytes()}KiB, got ${kib}KiB`);
  }
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}GiB`;
  if (kib % 1024 === 0) return `${kib / 1024}MiB`;
  return `${kib}KiB`;
}

/**
 * The results cache of a Thanos Query Frontend: in the memory of each
 * replica, or shared by every replica in memcached or Redis servers the user
 * runs (given by address; the Query Frontend's NetworkPolicy allows egress to
 * their ports).
 */
export class QueryFrontendCache {
  /** Each replica caches in its own memory (a FIFO of at most `maxSize`). */
  public static inMemory(options: InMemoryCacheOptions = {}): QueryFrontendCache {
    return new QueryFrontendCache({ type: 'IN-MEMORY', options });
  }

  /** Every replica caches in the same memcached servers. */
  public static memcached(options: MemcachedCacheOptions): QueryFrontendCache {
    return new QueryFrontendCache({ type: 'MEMCACHED', options });
  }

  /** Every replica caches in the same Redis server. */
  public static redis(options: RedisCacheOptions): QueryFrontendCache {
    return new QueryFrontendCache({ type: 'REDIS', options });
  }

  private constructor(private readonly spec: CacheSpec) {}

  /** `IN-MEMORY`, `MEMCACHED` or `REDIS`: the `type` of the cache config. */
  public get type(): string {
    return this.spec.type;
  }

  /**
   * Validates the options for `scope` (errors name `prop`) and renders the cache config.
   * @internal
   */
  public bind(scope: IConstruct, prop: string): BoundCache {
    const render = (config: Record<string, unknown>) => stringify({ type: this.spec.type, config: compact(config) }, { lineWidth: 0 });
    switch (this.spec.type) {
      case 'IN-MEMORY': {
        const o = this.spec.options;
        const maxSize = o.maxSize ?? Size.mebibytes(256);
        return {
          file: render({
            max_size: byteSize(scope, `${prop}.maxSize`, maxSize, Size.mebibytes(1)),
            validity: goDurationProp(scope, `${prop}.validity`, o.validity),
          }),
          env: [],
          egressPorts: [],
          inMemorySize: maxSize,
        };
      }
      case 'MEMCACHED': {
        const o = this.spec.options;
        if (!o.addresses?.length) invalid(scope, `${prop}.addresses`, 'needs at least one memcached server');
        const ports = o.addresses.map((address, i) => memcachedPort(scope, `${prop}.addresses[${i}]`, address));
        if (new Set(o.addresses).size !== o.addresses.length) invalid(scope, `${prop}.addresses`, `lists a server twice: ${o.addresses.join(', ')}`);
        const egress = o.ports ?? ports.filter((p): p is number => p !== undefined);
        if (o.ports === undefined && ports.includes(undefined)) {
          invalid(scope, `${prop}.ports`, 'a dnssrv+ address names no port: list the servers\' ports for the NetworkPolicy');
        }
        if (!egress.length) invalid(scope, `${prop}.ports`, 'needs at least one port');
        egress.forEach((p, i) => validatePort(scope, `${prop}.ports[${i}]`, p));
        return {
          file: render({
            addresses: o.addresses,
            timeout: goDurationProp(scope, `${prop}.timeout`, o.timeout ?? Duration.millis(500)),
            max_item_size: byteSize(scope, `${prop}.maxItemSize`, o.maxItemSize ?? Size.kibibytes(1023), Size.kibibytes(1)),
            expiration: positive(scope, `${prop}.expiration`, o.expiration ?? Duration.hours(24)),
          }),
          env: [],
          egressPorts: namedPorts([...new Set(egress)]),
        };
      }
      case 'REDIS': {
        const o = this.spec.options;
        const port = HOST_PORT.exec(o.address ?? '');
        if (!port || Number(port[2]) < 1 || Number(port[2]) > 65535) invalid(scope, `${prop}.address`, `'${o.address}' must be host:port`);
        if (o.db !== undefined && !(Number.isInteger(o.db) && o.db >= 0)) invalid(scope, `${prop}.db`, `must be a non-negative integer, got ${o.db}`);
        const password = o.passwordFile;
        return {
          file: render({
            addr: o.address,
            password: password ? `$(${REDIS_PASSWORD_ENV})` : undefined,
            db: o.db,
            expiration: positive(scope, `${prop}.expiration`, o.expiration ?? Duration.hours(24)),
          }),
          env: password ? [{ name: REDIS_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: password.secretName, key: password.key } } }] : [],
          egressPorts: namedPorts([Number(port[2])]),
        };
      }
    }
  }
}

function positive(scope: IConstruct, field: string, d: Duration): string {
  const rendered = goDurationProp(scope, field, d);
  // Thanos takes 0 for "unset" and uses 24h instead.
  if (rendered === '0s') invalid(scope, field, 'must be longer than zero');
  return rendered;
}

/** The port of a memcached address; undefined for a `dnssrv+` name, which has none. */
function memcachedPort(scope: IConstruct, field: string, address: string): number | undefined {
  if (typeof address === 'string' && /^dnssrv(noa)?\+/.test(address)) {
    if (!SRV_NAME.test(address.replace(/^dnssrv(noa)?\+/, ''))) {
      invalid(scope, field, `'${address}' must be dnssrv+_<port>._tcp.<service>`);
    }
    return undefined;
  }
  const m = HOST_PORT.exec(typeof address === 'string' ? address.replace(/^dns\+/, '') : '');
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    invalid(scope, field, `'${address}' must be host:port, dns+host:port or dnssrv+_<port>._tcp.<service>`);
  }
  return Number(m[2]);
}

function namedPorts(ports: number[]): NamedPort[] {
  return ports.map(port => ({ name: `cache-${port}`, port }));
}
