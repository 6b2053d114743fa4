import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { compact, validateRegex } from '../config/common/validate';
import { invalid } from '../errors';
import { goDurationProp } from '../private/durations';
import { NamedPort } from '../wiring/interfaces';

/** The IP version a probe resolves its target to first. */
export type IpProtocol = 'ip4' | 'ip6';

/** Options every module takes. */
export interface BlackboxModuleOptions {
  /**
   * The module's name: the `module` parameter of the probe, and the default job name (`blackbox-<name>`).
   * @default per prober: `http_2xx`, `tcp_connect`, `dns`, `grpc`, `icmp`
   */
  readonly name?: string;
  /**
   * Give up after this long. The exporter also stops at the scrape timeout Prometheus sends, less half a second.
   * @default the scrape timeout
   */
  readonly timeout?: Duration;
  /** The IP version to resolve the target to first. @default 'ip6', falling back to IPv4 (the exporter's default) */
  readonly preferredIpProtocol?: IpProtocol;
  /** Try the other IP version when the preferred one has no address. @default true */
  readonly ipProtocolFallback?: boolean;
}

/** Options of {@link BlackboxModule.http}. Targets are http:// or https:// URLs. */
export interface HttpModuleOptions extends BlackboxModuleOptions {
  /** The request method. @default 'GET' */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** Status codes that count as success. @default any 2xx */
  readonly validStatusCodes?: number[];
  /** HTTP versions that count as success, e.g. `['HTTP/1.1', 'HTTP/2.0']`. @default any */
  readonly validHttpVersions?: string[];
  /** Request headers; no credentials (the config is a ConfigMap). @default none */
  readonly headers?: Record<string, string>;
  /** Fail on a redirect instead of following it. @default false */
  readonly noFollowRedirects?: boolean;
  /** Fail unless the final response came over TLS. @default false */
  readonly failIfNotSsl?: boolean;
  /** Fail if the final response came over TLS. @default false */
  readonly failIfSsl?: boolean;
  /** Fail if the body matches any of these RE2 regexes. @default none */
  readonly failIfBodyMatchesRegexp?: string[];
  /** Fail unless the body matches each of these RE2 regexes. @default none */
  readonly failIfBodyNotMatchesRegexp?: string[];
  /** Accept any certificate (self-signed test endpoints). @default false */
  readonly insecureSkipVerify?: boolean;
}

/** One step of a TCP conversation: wait for `expect`, then `send`, then maybe start TLS. */
export interface TcpQueryResponse {
  /** An RE2 regex the next line read must match. @default no wait */
  readonly expect?: string;
  /** What to send (a newline is not added). @default nothing */
  readonly send?: string;
  /** Upgrade the connection to TLS (STARTTLS). @default false */
  readonly startTls?: boolean;
}

/** Options of {@link BlackboxModule.tcp}. Targets are `host:port`. */
export interface TcpModuleOptions extends BlackboxModuleOptions {
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
  /** With `tls`: accept any certificate. @default false */
  readonly insecureSkipVerify?: boolean;
  /** A conversation to hold after connecting. @default connect only */
  readonly queryResponse?: TcpQueryResponse[];
}

/** DNS record types a DNS module may query. */
export type DnsQueryType = 'A' | 'AAAA' | 'ANY' | 'CAA' | 'CNAME' | 'MX' | 'NS' | 'PTR' | 'SOA' | 'SRV' | 'TXT';

/** Options of {@link BlackboxModule.dns}. Targets are DNS servers: `host` or `host:port` (port 53). */
export interface DnsModuleOptions extends BlackboxModuleOptions {
  /** The name to resolve, e.g. `kubernetes.default.svc.cluster.local`. */
  readonly queryName: string;
  /** The record type to ask for. @default 'ANY' */
  readonly queryType?: DnsQueryType;
  /** Whether to query over UDP or TCP. @default 'udp' */
  readonly transportProtocol?: 'udp' | 'tcp';
  /** Response codes that count as success. @default ['NOERROR'] */
  readonly validRcodes?: string[];
  /** Ask the server to recurse. @default true */
  readonly recursionDesired?: boolean;
}

/** Options of {@link BlackboxModule.grpc}. Targets are `host:port` (or a URL). */
export interface GrpcModuleOptions extends BlackboxModuleOptions {
  /** The service of the standard gRPC health check to ask about. @default the server's overall health */
  readonly service?: string;
  /** Connect with TLS. @default false */
  readonly tls?: boolean;
  /** With `tls`: accept any certificate. @default false */
  readonly insecureSkipVerify?: boolean;
}

/** Options of {@link BlackboxModule.icmp}. Targets are hosts. */
export interface IcmpModuleOptions extends BlackboxModuleOptions {
  /** Bytes of payload in the echo request. @default 0 */
  readonly payloadSize?: number;
  /** The TTL of the echo request. @default the system's */
  readonly ttl?: number;
}

/** The prober of a module. */
export type BlackboxProber = 'http' | 'tcp' | 'dns' | 'grpc' | 'icmp';

type AnyOptions = HttpModuleOptions | TcpModuleOptions | DnsModuleOptions | GrpcModuleOptions | IcmpModuleOptions;

const MODULE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * A blackbox exporter module: how a target is probed. A module is rendered
 * into the exporter's config when a BlackboxExporter gets it, in its props
 * or through `prometheus.probe()`, and checked there.
 *
 * ICMP needs no capability: the exporter opens unprivileged ICMP sockets
 * (`prober/icmp.go`), which the pod's group may once the sysctl
 * `net.ipv4.ping_group_range` admits it: a "safe" sysctl that Pod Security
 * "restricted" allows, set by the exporter when it has an ICMP module. Only
 * the don't-fragment flag would need raw sockets (NET_RAW), so it is not offered.
 */
export class BlackboxModule {
  /** An HTTP(S) request that succeeds on a 2xx answer (by default). */
  public static http(options: HttpModuleOptions = {}): BlackboxModule {
    return new BlackboxModule('http', options.name ?? 'http_2xx', options);
  }

  /** A TCP connection, optionally with TLS and a conversation. */
  public static tcp(options: TcpModuleOptions = {}): BlackboxModule {
    return new BlackboxModule('tcp', options.name ?? 'tcp_connect', options);
  }

  /** A DNS query sent to the target, a DNS server. */
  public static dns(options: DnsModuleOptions): BlackboxModule {
    return new BlackboxModule('dns', options.name ?? 'dns', options);
  }

  /** The standard gRPC health check (`grpc.health.v1.Health/Check`). */
  public static grpc(options: GrpcModuleOptions = {}): BlackboxModule {
    return new BlackboxModule('grpc', options.name ?? 'grpc', options);
  }

  /** An ICMP echo (ping), over unprivileged ICMP sockets. */
  public static icmp(options: IcmpModuleOptions = {}): BlackboxModule {
    return new BlackboxModule('icmp', options.name ?? 'icmp', options);
  }

  private constructor(
    /** Which prober the module uses. */
    public readonly prober: BlackboxProber,
    /** The module's name in the exporter's config. */
    public readonly name: string,
    private readonly options: AnyOptions,
  ) {}

  /**
   * The module as the exporter's config has it, checked, `field` naming it in errors.
   * @internal
   */
  public render(scope: IConstruct, field: string): Record<string, unknown> {
    if (!MODULE_NAME.test(this.name)) invalid(scope, `${field}.name`, `'${this.name}' must be letters, digits, '_', '.' or '-' (it is a URL parameter and part of a job name)`);
    const o = this.options;
    const ip = { preferred_ip_protocol: o.preferredIpProtocol, ip_protocol_fallback: o.ipProtocolFallback };
    const timeout = goDurationProp(scope, `${field}.timeout`, o.timeout);
    if (timeout === '0s') invalid(scope, `${field}.timeout`, 'must be longer than zero');
    const regexes = (key: string, list: string[] | undefined) => list?.map((re, i) => validateRegex(scope, `${field}.${key}[${i}]`, re));
    const tls = (skip: boolean | undefined) => (skip ? { insecure_skip_verify: true } : undefined);
    let settings: Record<string, unknown>;
    switch (this.prober) {
      case 'http': {
        const h = o as HttpModuleOptions;
        h.validStatusCodes?.forEach((code, i) => {
          if (!Number.isInteger(code) || code < 100 || code > 599) invalid(scope, `${field}.validStatusCodes[${i}]`, `must be an HTTP status code (100-599), got ${code}`);
        });
        settings = compact({
          ...ip,
          method: h.method,
          valid_status_codes: h.validStatusCodes,
          valid_http_versions: h.validHttpVersions,
          headers: h.headers,
          no_follow_redirects: h.noFollowRedirects,
          fail_if_ssl: h.failIfSsl,
          fail_if_not_ssl: h.failIfNotSsl,
          fail_if_body_matches_regexp: regexes('failIfBodyMatchesRegexp', h.failIfBodyMatchesRegexp),
          fail_if_body_not_matches_regexp: regexes('failIfBodyNotMatchesRegexp', h.failIfBodyNotMatchesRegexp),
          tls_config: tls(h.insecureSkipVerify),
        });
        break;
      }
      case 'tcp': {
        const t = o as TcpModuleOptions;
        settings = compact({
          ...ip,
          tls: t.tls,
          tls_config: tls(t.insecureSkipVerify),
          query_response: t.queryResponse?.map((step, i) => compact({
            expect: step.expect === undefined ? undefined : validateRegex(scope, `${field}.queryResponse[${i}].expect`, step.expect),
            send: step.send,
            starttls: step.startTls,
          })),
        });
        break;
      }
      case 'dns': {
        const d = o as DnsModuleOptions;
        if (!/^[A-Za-z0-9_.-]+$/.test(d.queryName ?? '')) invalid(scope, `${field}.queryName`, `'${d.queryName}' must be a DNS name`);
        settings = compact({
          ...ip,
          query_name: d.queryName,
          query_type: d.queryType,
          transport_protocol: d.transportProtocol,
          valid_rcodes: d.validRcodes,
          recursion_desired: d.recursionDesired,
        });
        break;
      }
      case 'grpc': {
        const g = o as GrpcModuleOptions;
        settings = compact({ ...ip, service: g.service, tls: g.tls, tls_config: tls(g.insecureSkipVerify) });
        break;
      }
      case 'icmp': {
        const c = o as IcmpModuleOptions;
        settings = compact({ ...ip, payload_size: c.payloadSize, ttl: c.ttl });
        break;
      }
    }
    return compact({ prober: this.prober, timeout, [this.prober]: Object.keys(settings).length ? settings : undefined });
  }

  /**
   * The ports the exporter opens to probe `target` with this module, for its
   * NetworkPolicy: an empty list for ICMP, which NetworkPolicies can only allow
   * as "every port and protocol".
   * @returns the ports, or a message saying what is wrong with the target
   * @internal
   */
  public targetPorts(target: string): NamedPort[] | string {
    const port = (n: number, protocol?: 'UDP'): NamedPort[] => [{ name: `probe-${n}`, port: n, ...(protocol ? { protocol } : {}) }];
    switch (this.prober) {
      case 'http': {
        const url = parseUrl(target);
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return `'${target}' must be an http:// or https:// URL for http module '${this.name}'`;
        return port(url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);
      }
      case 'tcp': {
        const hp = splitHostPort(target);
        return hp?.port !== undefined ? port(hp.port) : `'${target}' must be host:port for tcp module '${this.name}'`;
      }
      case 'grpc': {
        const tlsDefault = (this.options as GrpcModuleOptions).tls ? 443 : 80;
        // The prober accepts host:port and http(s):// URLs (prober/grpc.go).
        const url = /^https?:\/\//.test(target) ? parseUrl(target) : parseUrl(`http://${target}`);
        if (!url || url.pathname.length > 1 || url.search) return `'${target}' must be host:port for grpc module '${this.name}'`;
        return port(url.port ? Number(url.port) : target.startsWith('https://') ? 443 : tlsDefault);
      }
      case 'dns': {
        const hp = splitHostPort(target);
        if (!hp) return `'${target}' must be a DNS server, host or host:port, for dns module '${this.name}'`;
        const tcp = (this.options as DnsModuleOptions).transportProtocol === 'tcp';
        return port(hp.port ?? 53, tcp ? undefined : 'UDP');
      }
      case 'icmp': {
        const hp = splitHostPort(target);
        return hp && hp.port === undefined ? [] : `'${target}' must be a host without port for icmp module '${this.name}'`;
      }
    }
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; undefined if it is none of these. */
function splitHostPort(value: string): { host: string; port?: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { host: m[1], port };
}
