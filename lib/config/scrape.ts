import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promDuration } from '../durations';
import { invalid } from '../errors';
import { RelabelRule, renderRelabelRules } from './relabel';
import { compact, validateLabels } from './validate';

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

/** TLS settings; every path is a file mounted from a Secret, never inline key material. */
export interface TlsFiles {
  /** @default the system CA bundle */
  readonly caFile?: string;
  /** @default no client certificate */
  readonly certFile?: string;
  /** @default no client certificate */
  readonly keyFile?: string;
  /** @default the target's host */
  readonly serverName?: string;
  /** @default false */
  readonly insecureSkipVerify?: boolean;
}

/** How a scrape authenticates; secrets are read from files mounted from Secrets. */
export interface ScrapeAuth {
  /** Bearer token file, e.g. a service account token. @default none */
  readonly bearerTokenFile?: string;
  /** Basic auth user name. @default none */
  readonly basicAuthUsername?: string;
  /** Basic auth password file. @default none */
  readonly basicAuthPasswordFile?: string;
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
}

/** One `scrape_configs` entry. */
export interface ScrapeJob {
  /** The `job` label of every scraped series; unique within a Prometheus. */
  readonly jobName: string;
  /** @default the global scrape interval */
  readonly scrapeInterval?: Duration;
  /** @default the global scrape timeout */
  readonly scrapeTimeout?: Duration;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /** @default Scheme.HTTP */
  readonly scheme?: Scheme;
  /** Keep labels of scraped series over target labels (Pushgateway, federation). @default false */
  readonly honorLabels?: boolean;
  /** URL query parameters. @default none */
  readonly params?: Record<string, string[]>;
  /** Fixed `host:port` targets. @default none */
  readonly staticTargets?: string[];
  /** Labels added to the static targets. @default none */
  readonly staticLabels?: Record<string, string>;
  /** Kubernetes service discovery. @default none */
  readonly kubernetesSd?: KubernetesSd[];
  /** Files with targets (`file_sd_configs`). @default none */
  readonly fileSd?: { readonly files: string[]; readonly refreshInterval?: Duration }[];
  /** DNS service discovery. @default none */
  readonly dnsSd?: { readonly names: string[]; readonly type?: 'SRV' | 'A' | 'AAAA' | 'MX' | 'NS'; readonly port?: number; readonly refreshInterval?: Duration }[];
  /** Consul service discovery; the token is read from a file. @default none */
  readonly consulSd?: { readonly server: string; readonly services?: string[]; readonly tags?: string[]; readonly datacenter?: string; readonly scheme?: Scheme }[];
  /** Relabeling of targets before the scrape. @default none */
  readonly relabelings?: RelabelRule[];
  /** Relabeling of scraped samples. @default none */
  readonly metricRelabelings?: RelabelRule[];
  /** Fail the scrape above this many samples. @default no limit */
  readonly sampleLimit?: number;
  /** TLS settings. @default none */
  readonly tls?: TlsFiles;
  /** Authentication. @default none */
  readonly auth?: ScrapeAuth;
}

const JOB_NAME = /^[^\s]+$/;

function durationField(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  try {
    return promDuration(d);
  } catch (e) {
    invalid(scope, field, (e as Error).message);
  }
}

export function renderTls(tls: TlsFiles | undefined): Record<string, unknown> | undefined {
  if (!tls) return undefined;
  return compact({
    ca_file: tls.caFile,
    cert_file: tls.certFile,
    key_file: tls.keyFile,
    server_name: tls.serverName,
    insecure_skip_verify: tls.insecureSkipVerify,
  });
}

function renderAuth(scope: IConstruct, field: string, auth: ScrapeAuth | undefined): Record<string, unknown> {
  if (!auth) return {};
  const basic = auth.basicAuthUsername !== undefined || auth.basicAuthPasswordFile !== undefined;
  if (basic && auth.bearerTokenFile) {
    invalid(scope, field, 'use either basic auth or a bearer token, not both');
  }
  return compact({
    authorization: auth.bearerTokenFile ? { type: 'Bearer', credentials_file: auth.bearerTokenFile } : undefined,
    basic_auth: basic ? compact({ username: auth.basicAuthUsername, password_file: auth.basicAuthPasswordFile }) : undefined,
  });
}

function renderKubernetesSd(scope: IConstruct, field: string, sd: KubernetesSd, i: number): Record<string, unknown> {
  if (!Object.values(KubernetesRole).includes(sd.role)) {
    invalid(scope, `${field}.kubernetesSd[${i}].role`, `unknown Kubernetes SD role '${sd.role}' (one of ${Object.values(KubernetesRole).join(', ')})`);
  }
  if (sd.ownNamespace && sd.namespaces?.length) {
    invalid(scope, `${field}.kubernetesSd[${i}]`, 'set either namespaces or ownNamespace, not both');
  }
  const namespaces = sd.ownNamespace ? { own_namespace: true } : sd.namespaces?.length ? { names: sd.namespaces } : undefined;
  return compact({ role: sd.role, namespaces });
}

/** Validates a scrape job and renders it as a `scrape_configs` entry. */
export function renderScrapeJob(scope: IConstruct, field: string, job: ScrapeJob): Record<string, unknown> {
  if (!JOB_NAME.test(job.jobName)) invalid(scope, `${field}.jobName`, `'${job.jobName}' must be non-empty without spaces`);
  if (job.metricsPath !== undefined && !job.metricsPath.startsWith('/')) {
    invalid(scope, `${field}.metricsPath`, `'${job.metricsPath}' must start with '/'`);
  }
  if (job.sampleLimit !== undefined && !(Number.isInteger(job.sampleLimit) && job.sampleLimit >= 0)) {
    invalid(scope, `${field}.sampleLimit`, 'must be a non-negative integer');
  }
  if (job.scrapeTimeout && job.scrapeInterval && job.scrapeTimeout.toMilliseconds() > job.scrapeInterval.toMilliseconds()) {
    invalid(scope, `${field}.scrapeTimeout`, 'must not be longer than scrapeInterval');
  }
  validateLabels(scope, `${field}.staticLabels`, job.staticLabels);
  job.staticTargets?.forEach((t, i) => {
    if (!/^[^\s/:]+(:\d{1,5})?$/.test(t)) invalid(scope, `${field}.staticTargets[${i}]`, `'${t}' must be host or host:port`);
  });
  return compact({
    job_name: job.jobName,
    scrape_interval: durationField(scope, `${field}.scrapeInterval`, job.scrapeInterval),
    scrape_timeout: durationField(scope, `${field}.scrapeTimeout`, job.scrapeTimeout),
    metrics_path: job.metricsPath,
    scheme: job.scheme,
    honor_labels: job.honorLabels,
    params: job.params,
    sample_limit: job.sampleLimit,
    ...renderAuth(scope, `${field}.auth`, job.auth),
    tls_config: renderTls(job.tls),
    static_configs: job.staticTargets?.length ? [compact({ targets: job.staticTargets, labels: job.staticLabels })] : undefined,
    kubernetes_sd_configs: job.kubernetesSd?.map((sd, i) => renderKubernetesSd(scope, field, sd, i)),
    file_sd_configs: job.fileSd?.map((f, i) => compact({
      files: f.files, refresh_interval: durationField(scope, `${field}.fileSd[${i}].refreshInterval`, f.refreshInterval),
    })),
    dns_sd_configs: job.dnsSd?.map((d, i) => compact({
      names: d.names, type: d.type, port: d.port,
      refresh_interval: durationField(scope, `${field}.dnsSd[${i}].refreshInterval`, d.refreshInterval),
    })),
    consul_sd_configs: job.consulSd?.map(c => compact({
      server: c.server, services: c.services, tags: c.tags, datacenter: c.datacenter, scheme: c.scheme,
    })),
    relabel_configs: renderRelabelRules(scope, `${field}.relabelings`, job.relabelings),
    metric_relabel_configs: renderRelabelRules(scope, `${field}.metricRelabelings`, job.metricRelabelings),
  });
}
