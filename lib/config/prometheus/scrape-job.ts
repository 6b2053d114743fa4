import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid, validateDnsLabel } from '../../errors';
import { durationField, filePath, hostPort, positiveDuration } from '../common/fields';
import { HttpAuth, renderAuth, renderTls, TlsFiles } from '../common/http-client';
import { SecretFile } from '../common/secret-file';
import { secretFileField } from '../common/secret-mounts';
import { RelabelAction, RelabelRule, renderRelabelRules } from './relabel';
import { compact, regexMatches, validateLabels, validateRegex } from '../common/validate';

export type { HttpAuth, ScrapeAuth, TlsFiles } from '../common/http-client';
export { renderTls, TlsVersion } from '../common/http-client';

/** Kubernetes service discovery roles. */
export enum KubernetesRole {
  NODE = 'node',
  POD = 'pod',
  SERVICE = 'service',
  ENDPOINTS = 'endpoints',
  ENDPOINT_SLICE = 'endpointslice',
  INGRESS = 'ingress',
}

/** URL scheme of a scrape. */
export enum Scheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/** DNS record types DNS service discovery can query. */
export enum DnsRecordType {
  SRV = 'SRV',
  A = 'A',
  AAAA = 'AAAA',
  MX = 'MX',
  NS = 'NS',
}

/**
 * Narrows what the Kubernetes API returns, server-side: cheaper than dropping
 * targets by relabeling in large clusters.
 */
export interface KubernetesSelector {
  /**
   * The kind of object selected. Only the SD role itself, except that the
   * `endpoints` and `endpointslice` roles also accept `pod` and `service`.
   */
  readonly role: KubernetesRole;
  /** Label selector, e.g. `app.kubernetes.io/name=nginx`. @default none */
  readonly label?: string;
  /** Field selector, e.g. `metadata.name=web`. @default none */
  readonly field?: string;
}

/** Kubernetes service discovery. */
export interface KubernetesSd {
  /** Which objects become targets. */
  readonly role: KubernetesRole;
  /**
   * Namespaces to discover in.
   * @default all namespaces
   */
  readonly namespaces?: string[];
  /**
   * Discover only in the namespace Prometheus runs in.
   * @default false
   */
  readonly ownNamespace?: boolean;
  /**
   * Server-side label and field selectors.
   * @default none
   */
  readonly selectors?: KubernetesSelector[];
}

/** Targets read from JSON or YAML files (`file_sd_configs`), e.g. a mounted ConfigMap. */
export interface FileSd {
  /** Absolute paths; the last path element may be a glob (`/etc/targets/*.json`). */
  readonly files: string[];
  /** Re-read interval, besides file change notifications. @default 5m */
  readonly refreshInterval?: Duration;
}

/** DNS service discovery. */
export interface DnsSd {
  /** Names to query. */
  readonly names: string[];
  /** @default DnsRecordType.SRV */
  readonly type?: DnsRecordType | 'SRV' | 'A' | 'AAAA' | 'MX' | 'NS';
  /** Port of the targets; required unless `type` is SRV (SRV records carry it). @default from the SRV records */
  readonly port?: number;
  /** @default 30s */
  readonly refreshInterval?: Duration;
}

/** Consul service discovery; the ACL token is read from a file. */
export interface ConsulSd {
  /** `host:port` of the Consul agent or server. */
  readonly server: string;
  /** Services to discover. @default all services */
  readonly services?: string[];
  /** Only instances having all these tags. @default no tag filter */
  readonly tags?: string[];
  /** @default the agent's datacenter */
  readonly datacenter?: string;
  /** @default Scheme.HTTP */
  readonly scheme?: Scheme;
  /**
   * The Consul ACL token, from a Secret's file, sent as a bearer token (Consul
   * accepts `Authorization: Bearer`); the `token` field would put it in the ConfigMap.
   * @default no token
   */
  readonly tokenFile?: SecretFile;
  /** Read from any server, not only the leader: much cheaper with many targets. @default false */
  readonly allowStale?: boolean;
  /** @default 30s */
  readonly refreshInterval?: Duration;
  /** TLS to the Consul server. @default none */
  readonly tls?: TlsFiles;
}

/** One `scrape_configs` entry. */
export interface ScrapeJob {
  /** The `job` label of every scraped series; unique within a Prometheus. */
  readonly jobName: string;
  /** @default the global scrape interval */
  readonly scrapeInterval?: Duration;
  /** At most `scrapeInterval`. @default the global scrape timeout, capped at `scrapeInterval` */
  readonly scrapeTimeout?: Duration;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default Scheme.HTTP */
  readonly scheme?: Scheme;
  /** Keep labels of scraped series over target labels (Pushgateway, federation). @default false */
  readonly honorLabels?: boolean;
  /** URL query parameters. @default none */
  readonly params?: Record<string, string[]>;
  /**
   * Fixed targets: `host:port`, or anything when a relabeling rewrites
   * `__address__` (e.g. the URLs a blackbox exporter probes).
   * @default none
   */
  readonly staticTargets?: string[];
  /** Labels added to the static targets. @default none */
  readonly staticLabels?: Record<string, string>;
  /** Kubernetes service discovery. @default none */
  readonly kubernetesSd?: KubernetesSd[];
  /** Files with targets (`file_sd_configs`). @default none */
  readonly fileSd?: FileSd[];
  /** DNS service discovery. @default none */
  readonly dnsSd?: DnsSd[];
  /** Consul service discovery. @default none */
  readonly consulSd?: ConsulSd[];
  /** Relabeling of targets before the scrape. @default none */
  readonly relabelings?: RelabelRule[];
  /** Relabeling of scraped samples. @default none */
  readonly metricRelabelings?: RelabelRule[];
  /** Fail the scrape above this many samples. @default no limit */
  readonly sampleLimit?: number;
  /** TLS settings. @default none */
  readonly tls?: TlsFiles;
  /** Authentication. @default none */
  readonly auth?: HttpAuth;
}

/** The global settings a job falls back to, for checks that involve both. */
export interface ScrapeDefaults {
  readonly scrapeInterval: Duration;
  readonly scrapeTimeout: Duration;
}

const JOB_NAME = /^[^\s]+$/;
// Which selector roles Prometheus accepts for each SD role (discovery/kubernetes/kubernetes.go).
const SELECTOR_ROLES: Record<KubernetesRole, KubernetesRole[]> = {
  [KubernetesRole.NODE]: [KubernetesRole.NODE],
  [KubernetesRole.POD]: [KubernetesRole.POD],
  [KubernetesRole.SERVICE]: [KubernetesRole.SERVICE],
  [KubernetesRole.INGRESS]: [KubernetesRole.INGRESS],
  [KubernetesRole.ENDPOINTS]: [KubernetesRole.ENDPOINTS, KubernetesRole.POD, KubernetesRole.SERVICE],
  [KubernetesRole.ENDPOINT_SLICE]: [KubernetesRole.ENDPOINT_SLICE, KubernetesRole.POD, KubernetesRole.SERVICE],
};

function checkRole(scope: IConstruct, field: string, role: KubernetesRole): void {
  if (!Object.values(KubernetesRole).includes(role)) {
    invalid(scope, field, `unknown Kubernetes SD role '${role}' (one of ${Object.values(KubernetesRole).join(', ')})`);
  }
}

function renderKubernetesSd(scope: IConstruct, field: string, sd: KubernetesSd): Record<string, unknown> {
  checkRole(scope, `${field}.role`, sd.role);
  if (sd.ownNamespace && sd.namespaces?.length) {
    invalid(scope, field, 'set either namespaces or ownNamespace, not both');
  }
  sd.namespaces?.forEach((ns, i) => validateDnsLabel(scope, `${field}.namespaces[${i}]`, ns, 63));
  const selectors = sd.selectors?.map((s, i) => {
    const f = `${field}.selectors[${i}]`;
    checkRole(scope, `${f}.role`, s.role);
    if (!SELECTOR_ROLES[sd.role].includes(s.role)) {
      invalid(scope, `${f}.role`, `role '${sd.role}' discovery accepts selectors for ${SELECTOR_ROLES[sd.role].join(', ')}, not '${s.role}'`);
    }
    if (!s.label && !s.field) invalid(scope, f, 'needs a label or a field selector');
    return compact({ role: s.role, label: s.label, field: s.field });
  });
  if (selectors && new Set(selectors.map(s => s.role)).size !== selectors.length) {
    invalid(scope, `${field}.selectors`, 'at most one selector per role');
  }
  const namespaces = sd.ownNamespace ? { own_namespace: true } : sd.namespaces?.length ? { names: sd.namespaces } : undefined;
  return compact({ role: sd.role, namespaces, selectors: selectors?.length ? selectors : undefined });
}

function renderFileSd(scope: IConstruct, field: string, sd: FileSd): Record<string, unknown> {
  if (!sd.files.length) invalid(scope, `${field}.files`, 'needs at least one file');
  sd.files.forEach((f, i) => {
    filePath(scope, `${field}.files[${i}]`, f);
    // Prometheus only globs the last path element, and only known extensions.
    if (/[*?[]/.test(f.slice(0, f.lastIndexOf('/'))) || !/\.(json|ya?ml)$|\*$/.test(f)) {
      invalid(scope, `${field}.files[${i}]`, `'${f}' must end in .json, .yml or .yaml, with wildcards only in the file name`);
    }
  });
  return compact({ files: sd.files, refresh_interval: positiveDuration(scope, `${field}.refreshInterval`, sd.refreshInterval) });
}

function renderDnsSd(scope: IConstruct, field: string, sd: DnsSd): Record<string, unknown> {
  if (!sd.names.length) invalid(scope, `${field}.names`, 'needs at least one name');
  sd.names.forEach((n, i) => {
    if (!/^[A-Za-z0-9_]([A-Za-z0-9_-]*\.?)*$/.test(n)) invalid(scope, `${field}.names[${i}]`, `'${n}' is not a DNS name`);
  });
  const type = sd.type ?? DnsRecordType.SRV;
  if (!Object.values(DnsRecordType).includes(type as DnsRecordType)) {
    invalid(scope, `${field}.type`, `unknown record type '${type}' (one of ${Object.values(DnsRecordType).join(', ')})`);
  }
  if (type !== DnsRecordType.SRV && sd.port === undefined) {
    invalid(scope, `${field}.port`, `${type} records carry no port: set one`);
  }
  if (sd.port !== undefined && !(Number.isInteger(sd.port) && sd.port >= 1 && sd.port <= 65535)) {
    invalid(scope, `${field}.port`, `must be a port between 1 and 65535, got ${sd.port}`);
  }
  return compact({
    names: sd.names, type: sd.type, port: sd.port,
    refresh_interval: positiveDuration(scope, `${field}.refreshInterval`, sd.refreshInterval),
  });
}

function renderConsulSd(scope: IConstruct, field: string, sd: ConsulSd): Record<string, unknown> {
  hostPort(scope, `${field}.server`, sd.server);
  return compact({
    server: sd.server,
    services: sd.services,
    tags: sd.tags,
    datacenter: sd.datacenter,
    scheme: sd.scheme,
    allow_stale: sd.allowStale,
    refresh_interval: positiveDuration(scope, `${field}.refreshInterval`, sd.refreshInterval),
    ...renderAuth(scope, field, sd.tokenFile !== undefined ? { bearerTokenFile: secretFileField(scope, `${field}.tokenFile`, sd.tokenFile) } : undefined),
    tls_config: renderTls(sd.tls, scope, `${field}.tls`),
  });
}

/**
 * Target relabelings must leave a valid `__address__`: one that drops it leaves
 * no target to scrape, and a fixed one (e.g. a blackbox exporter's) must be host:port.
 */
function checkAddressRules(scope: IConstruct, field: string, rules: RelabelRule[] | undefined): void {
  rules?.forEach((rule, i) => {
    if (rule.targetLabel === '__address__' && rule.replacement !== undefined && !rule.replacement.includes('$')) {
      hostPort(scope, `${field}[${i}].replacement`, rule.replacement);
    }
    const regex = rule.regex ?? '(.*)';
    if (rule.regex !== undefined) validateRegex(scope, `${field}[${i}].regex`, regex);
    const drops = (rule.action === RelabelAction.LABELDROP && regexMatches(regex, '__address__'))
      || (rule.action === RelabelAction.LABELKEEP && !regexMatches(regex, '__address__'));
    if (drops) invalid(scope, `${field}[${i}].regex`, `'${regex}' ${rule.action === RelabelAction.LABELDROP ? 'drops' : 'does not keep'} __address__: no target would be left to scrape`);
  });
}

function checkTimeouts(scope: IConstruct, field: string, job: ScrapeJob, defaults?: ScrapeDefaults): void {
  const interval = job.scrapeInterval ?? defaults?.scrapeInterval;
  // Prometheus refuses a timeout longer than the interval; an unset timeout is capped silently.
  if (job.scrapeTimeout && interval && job.scrapeTimeout.toMilliseconds() > interval.toMilliseconds()) {
    invalid(scope, `${field}.scrapeTimeout`, `${durationField(scope, `${field}.scrapeTimeout`, job.scrapeTimeout)} is longer than the `
      + `${job.scrapeInterval ? '' : 'global '}scrape interval (${durationField(scope, `${field}.scrapeInterval`, interval)})`);
  }
}

/**
 * Validates a scrape job and renders it as a `scrape_configs` entry.
 * `defaults` are the global interval and timeout, checked against the job's.
 */
export function renderScrapeJob(scope: IConstruct, field: string, job: ScrapeJob, defaults?: ScrapeDefaults): Record<string, unknown> {
  if (!JOB_NAME.test(job.jobName)) invalid(scope, `${field}.jobName`, `'${job.jobName}' must be non-empty without spaces`);
  if (job.metricsPath !== undefined && !job.metricsPath.startsWith('/')) {
    invalid(scope, `${field}.metricsPath`, `'${job.metricsPath}' must start with '/'`);
  }
  if (job.scheme !== undefined && !Object.values(Scheme).includes(job.scheme)) {
    invalid(scope, `${field}.scheme`, `'${job.scheme}' must be http or https`);
  }
  if (job.sampleLimit !== undefined && !(Number.isInteger(job.sampleLimit) && job.sampleLimit >= 0)) {
    invalid(scope, `${field}.sampleLimit`, 'must be a non-negative integer');
  }
  checkTimeouts(scope, field, job, defaults);
  validateLabels(scope, `${field}.staticLabels`, job.staticLabels);
  Object.keys(job.params ?? {}).forEach(p => {
    if (!p || /[\s&=]/.test(p)) invalid(scope, `${field}.params`, `'${p}' is not a URL query parameter name`);
  });
  // Prometheus validates the address only after relabeling, so a rewritten one may be any string (e.g. a probed URL).
  const rewritesAddress = job.relabelings?.some(r => r.targetLabel === '__address__');
  job.staticTargets?.forEach((t, i) => {
    if (rewritesAddress ? !/^\S+$/.test(t) : !/^[^\s/:]+(:\d{1,5})?$/.test(t)) {
      invalid(scope, `${field}.staticTargets[${i}]`, `'${t}' must be ${rewritesAddress ? 'non-empty without spaces' : 'host or host:port'}`);
    }
    if (/^[a-z]+:\/\/[^/]*@/i.test(t)) invalid(scope, `${field}.staticTargets[${i}]`, 'must not hold credentials (the config is a ConfigMap)');
  });
  checkAddressRules(scope, `${field}.relabelings`, job.relabelings);
  if (!job.staticTargets?.length && job.staticLabels) {
    invalid(scope, `${field}.staticLabels`, 'labels static targets, but there are none');
  }
  return compact({
    job_name: job.jobName,
    scrape_interval: positiveDuration(scope, `${field}.scrapeInterval`, job.scrapeInterval),
    scrape_timeout: positiveDuration(scope, `${field}.scrapeTimeout`, job.scrapeTimeout),
    metrics_path: job.metricsPath,
    scheme: job.scheme,
    honor_labels: job.honorLabels,
    params: job.params,
    sample_limit: job.sampleLimit,
    ...renderAuth(scope, `${field}.auth`, job.auth),
    tls_config: renderTls(job.tls, scope, `${field}.tls`),
    static_configs: job.staticTargets?.length ? [compact({ targets: job.staticTargets, labels: job.staticLabels })] : undefined,
    kubernetes_sd_configs: job.kubernetesSd?.map((sd, i) => renderKubernetesSd(scope, `${field}.kubernetesSd[${i}]`, sd)),
    file_sd_configs: job.fileSd?.map((sd, i) => renderFileSd(scope, `${field}.fileSd[${i}]`, sd)),
    dns_sd_configs: job.dnsSd?.map((sd, i) => renderDnsSd(scope, `${field}.dnsSd[${i}]`, sd)),
    consul_sd_configs: job.consulSd?.map((sd, i) => renderConsulSd(scope, `${field}.consulSd[${i}]`, sd)),
    relabel_configs: renderRelabelRules(scope, `${field}.relabelings`, job.relabelings),
    metric_relabel_configs: renderRelabelRules(scope, `${field}.metricRelabelings`, job.metricRelabelings),
  });
}
