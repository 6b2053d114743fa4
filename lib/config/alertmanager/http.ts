import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { renderTls, TlsFiles, TlsVersion } from '../common/http-client';
import { compact } from '../common/validate';
import { SecretFile } from '../common/secret-file';
import { atMostOne, httpUrl, noInlineSecrets, required, secretFile } from './common';

/** TLS versions of a notifier: the same as Prometheus'. */
export const NotifierTlsVersion = TlsVersion;
export type NotifierTlsVersion = TlsVersion;

/** TLS settings of a notifier's HTTP client or of SMTP: the same model as Prometheus'. */
export type NotifierTlsConfig = TlsFiles;

/** HTTP basic authentication; the password only from a file. */
export interface NotifierBasicAuth {
  readonly username: string;
  /** File holding the password. */
  readonly passwordFile: SecretFile;
}

/** An `Authorization` header; the credentials only from a file. */
export interface NotifierAuthorization {
  /**
   * The scheme.
   * @default 'Bearer'
   */
  readonly type?: string;
  /** File holding the credentials (e.g. the bearer token). */
  readonly credentialsFile: SecretFile;
}

/** OAuth 2.0 client-credentials grant; the client secret only from a file. */
export interface NotifierOAuth2 {
  readonly clientId: string;
  /** File holding the client secret. */
  readonly clientSecretFile: SecretFile;
  /** Token endpoint. */
  readonly tokenUrl: string;
  /** @default no scopes */
  readonly scopes?: string[];
  /** @default none */
  readonly endpointParams?: Record<string, string>;
}

/**
 * The HTTP client a notifier uses (`http_config`). Credentials can only come
 * from files, so that no secret ends up in the ConfigMap.
 */
export interface NotifierHttpConfig {
  /**
   * Basic authentication; excludes `authorization` and `oauth2`.
   * @default none
   */
  readonly basicAuth?: NotifierBasicAuth;
  /**
   * An `Authorization` header; excludes `basicAuth` and `oauth2`.
   * @default none
   */
  readonly authorization?: NotifierAuthorization;
  /**
   * OAuth 2.0; excludes `basicAuth` and `authorization`.
   * @default none
   */
  readonly oauth2?: NotifierOAuth2;
  /**
   * Proxy for requests; excludes `proxyFromEnvironment`.
   * @default no proxy
   */
  readonly proxyUrl?: string;
  /**
   * Comma-separated hosts, domains and CIDRs that bypass `proxyUrl`.
   * @default none
   */
  readonly noProxy?: string;
  /**
   * Use HTTP_PROXY, HTTPS_PROXY and NO_PROXY from the environment.
   * @default false
   */
  readonly proxyFromEnvironment?: boolean;
  /** @default true */
  readonly followRedirects?: boolean;
  /** @default true */
  readonly enableHttp2?: boolean;
  /** @default Go's defaults */
  readonly tlsConfig?: NotifierTlsConfig;
}

export function renderTlsConfig(scope: IConstruct, field: string, tls: NotifierTlsConfig | undefined): Record<string, unknown> | undefined {
  return renderTls(tls, scope, field);
}

export function renderHttpConfig(scope: IConstruct, field: string, http: NotifierHttpConfig | undefined): Record<string, unknown> | undefined {
  if (!http) return undefined;
  atMostOne(scope, field, { basicAuth: http.basicAuth, authorization: http.authorization, oauth2: http.oauth2 });
  if (http.basicAuth) noInlineSecrets(scope, `${field}.basicAuth`, http.basicAuth, ['password']);
  if (http.authorization) noInlineSecrets(scope, `${field}.authorization`, http.authorization, ['credentials']);
  if (http.oauth2) noInlineSecrets(scope, `${field}.oauth2`, http.oauth2, ['clientSecret']);
  if (http.proxyUrl !== undefined && http.proxyFromEnvironment) {
    invalid(scope, `${field}.proxyUrl`, 'cannot be combined with proxyFromEnvironment');
  }
  if (http.noProxy !== undefined && http.proxyUrl === undefined) {
    invalid(scope, `${field}.noProxy`, 'only applies together with proxyUrl');
  }
  const { basicAuth: ba, authorization: auth, oauth2: o } = http;
  return compact({
    basic_auth: ba && {
      username: required(scope, `${field}.basicAuth.username`, ba.username, 'username'),
      password_file: secretFile(scope, `${field}.basicAuth.passwordFile`, ba.passwordFile, 'passwordFile'),
    },
    authorization: auth && compact({
      type: auth.type,
      credentials_file: secretFile(scope, `${field}.authorization.credentialsFile`, auth.credentialsFile, 'credentialsFile'),
    }),
    oauth2: o && compact({
      client_id: required(scope, `${field}.oauth2.clientId`, o.clientId, 'clientId'),
      client_secret_file: secretFile(scope, `${field}.oauth2.clientSecretFile`, o.clientSecretFile, 'clientSecretFile'),
      token_url: httpUrl(scope, `${field}.oauth2.tokenUrl`, required(scope, `${field}.oauth2.tokenUrl`, o.tokenUrl, 'tokenUrl')),
      scopes: o.scopes,
      endpoint_params: o.endpointParams,
    }),
    proxy_url: httpUrl(scope, `${field}.proxyUrl`, http.proxyUrl),
    no_proxy: http.noProxy,
    proxy_from_environment: http.proxyFromEnvironment,
    follow_redirects: http.followRedirects,
    enable_http2: http.enableHttp2,
    tls_config: renderTlsConfig(scope, `${field}.tlsConfig`, http.tlsConfig),
  });
}
