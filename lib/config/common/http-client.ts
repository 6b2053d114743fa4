import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { SecretFile } from './secret-file';
import { secretFileField } from './secret-mounts';
import { compact } from './validate';

/** TLS protocol versions, as Go's crypto/tls names them in Prometheus and Alertmanager configs. */
export enum TlsVersion {
  TLS10 = 'TLS10',
  TLS11 = 'TLS11',
  TLS12 = 'TLS12',
  TLS13 = 'TLS13',
}

/**
 * TLS settings of an HTTP client (Prometheus and Alertmanager share the
 * prometheus/common one); every file comes from a Secret, never inline key material.
 */
export interface TlsFiles {
  /**
   * CA certificates: a Secret's file, or the absolute path of a file mounted
   * otherwise, e.g. the pod's service account CA
   * (`/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`).
   * @default the system CA bundle
   */
  readonly caFile?: SecretFile | string;
  /** Client certificate; needs `keyFile`. @default no client certificate */
  readonly certFile?: SecretFile;
  /** Client key; needs `certFile`. @default no client certificate */
  readonly keyFile?: SecretFile;
  /** @default the target's host */
  readonly serverName?: string;
  /** @default false */
  readonly insecureSkipVerify?: boolean;
  /** Lowest TLS version accepted. @default TLS 1.2 */
  readonly minVersion?: TlsVersion;
}

/**
 * How Prometheus authenticates to an HTTP endpoint (a target, a remote
 * storage, an SD server). There are only file fields: the config is a
 * ConfigMap, and secrets go into Secrets mounted as files (see `SecretFile`).
 */
export interface HttpAuth {
  /**
   * Bearer token file: a Secret's file, or the absolute path of a file mounted
   * otherwise, e.g. the pod's service account token
   * (`/var/run/secrets/kubernetes.io/serviceaccount/token`).
   * @default none
   */
  readonly bearerTokenFile?: SecretFile | string;
  /** Basic auth user name. @default none */
  readonly basicAuthUsername?: string;
  /** Basic auth user name, read from a Secret's file. @default none */
  readonly basicAuthUsernameFile?: SecretFile;
  /** Basic auth password, read from a Secret's file. @default none */
  readonly basicAuthPasswordFile?: SecretFile;
}

/** Authentication of a scrape (the same options as every HTTP client). */
export type ScrapeAuth = HttpAuth;

/** Renders `tls_config`; a client certificate needs both halves. */
export function renderTls(tls: TlsFiles | undefined, scope?: IConstruct, field = 'tls'): Record<string, unknown> | undefined {
  if (!tls) return undefined;
  if (scope && (tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    invalid(scope, tls.certFile ? `${field}.keyFile` : `${field}.certFile`, 'a client certificate needs both certFile and keyFile: set both or neither');
  }
  if (scope && tls.minVersion !== undefined && !Object.values(TlsVersion).includes(tls.minVersion)) {
    invalid(scope, `${field}.minVersion`, `'${tls.minVersion}' is not one of ${Object.values(TlsVersion).join(', ')}`);
  }
  return compact({
    ca_file: scope ? secretFileField(scope, `${field}.caFile`, tls.caFile, true) : tls.caFile,
    cert_file: scope ? secretFileField(scope, `${field}.certFile`, tls.certFile) : tls.certFile,
    key_file: scope ? secretFileField(scope, `${field}.keyFile`, tls.keyFile) : tls.keyFile,
    server_name: tls.serverName,
    insecure_skip_verify: tls.insecureSkipVerify,
    min_version: tls.minVersion,
  });
}

/** Renders `authorization` / `basic_auth` (to spread into an HTTP client config). */
export function renderAuth(scope: IConstruct, field: string, auth: HttpAuth | undefined): Record<string, unknown> {
  if (!auth) return {};
  const basic = auth.basicAuthUsername !== undefined || auth.basicAuthUsernameFile !== undefined || auth.basicAuthPasswordFile !== undefined;
  if (basic && auth.bearerTokenFile) {
    invalid(scope, field, 'use either basic auth or a bearer token, not both');
  }
  if (auth.basicAuthUsername !== undefined && auth.basicAuthUsernameFile !== undefined) {
    invalid(scope, `${field}.basicAuthUsernameFile`, 'set either basicAuthUsername or basicAuthUsernameFile, not both');
  }
  if (basic && auth.basicAuthUsername === undefined && auth.basicAuthUsernameFile === undefined) {
    invalid(scope, `${field}.basicAuthUsername`, 'basic auth needs a user name (basicAuthUsername or basicAuthUsernameFile)');
  }
  return compact({
    authorization: auth.bearerTokenFile
      ? { type: 'Bearer', credentials_file: secretFileField(scope, `${field}.bearerTokenFile`, auth.bearerTokenFile, true) }
      : undefined,
    basic_auth: basic ? compact({
      username: auth.basicAuthUsername,
      username_file: secretFileField(scope, `${field}.basicAuthUsernameFile`, auth.basicAuthUsernameFile),
      password_file: secretFileField(scope, `${field}.basicAuthPasswordFile`, auth.basicAuthPasswordFile),
    }) : undefined,
  });
}
