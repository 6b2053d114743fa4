import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { toYaml } from '../../prometheus/prometheus-config';
import { IAlertmanagerTarget, IQueryApi } from '../../wiring/interfaces';

/*
 * The two files `thanos rule` reads at start (Thanos v0.42.4):
 * - `--query.config-file`: a list of pkg/clientconfig Config, parsed with
 *   yaml.UnmarshalStrict (clientconfig.LoadConfigs): HTTPConfig inline, i.e.
 *   `http_config` and the HTTPEndpointsConfig fields `static_configs` (a list of
 *   addresses, `dns+`/`dnssrv+` resolved by the DNS provider), `file_sd_configs`,
 *   `scheme` and `path_prefix`; and `grpc_config`.
 * - `--alertmanagers.config-file`: pkg/alert/config.go AlertingConfig
 *   `{alertmanagers: [AlertmanagerConfig]}`, parsed with yaml.UnmarshalStrict:
 *   `http_config`, the same endpoint fields inline, `timeout` (model.Duration) and
 *   `api_version` (v1 or v2).
 * Neither is reloaded (cmd/thanos/rule.go reads them once in Setup); the pod
 * template carries a checksum of them, so a change rolls the pods.
 */

/** Where the two files are mounted, from the config ConfigMap. @internal */
export const RULER_CONFIG_DIR = '/etc/thanos/ruler';
/** @internal */
export const RULER_QUERY_FILE = 'query.yaml';
/** @internal */
export const RULER_ALERTMANAGERS_FILE = 'alertmanagers.yaml';

/** The `--query.config-file`: an entry for each querier. @internal */
export function renderQueryConfig(scope: IConstruct, prop: string, queriers: IQueryApi[]): string {
  return toYaml(queriers.map(q => queryEndpoint(scope, prop, q)));
}

/** The `--alertmanagers.config-file`: an entry for each Alertmanager cluster. @internal */
export function renderAlertmanagersConfig(alertmanagers: IAlertmanagerTarget[]): string {
  return toYaml({ alertmanagers: alertmanagers.map(alertmanagerEndpoint) });
}

/** A checksum of the two files, for the pod template: a change rolls the pods. @internal */
export function configChecksum(queryConfig: string, alertmanagersConfig: string): string {
  return createHash('sha256').update(queryConfig).update('\0').update(alertmanagersConfig).digest('hex');
}

/** One entry of `--query.config-file`: a querier's HTTP query API. @internal */
export function queryEndpoint(scope: IConstruct, prop: string, querier: IQueryApi): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(querier.queryUrl);
  } catch {
    return invalid(scope, prop, `'${querier.queryUrl}', the query URL of ${querier.node.path}, is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(scope, prop, `'${querier.queryUrl}', the query URL of ${querier.node.path}, is not http(s)`);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  return {
    static_configs: [url.host],
    scheme: url.protocol.slice(0, -1),
    ...(prefix ? { path_prefix: prefix } : {}),
  };
}

/** One entry of `alertmanagers:`: every replica of a cluster, each sent every alert. @internal */
export function alertmanagerEndpoint(alertmanager: IAlertmanagerTarget): Record<string, unknown> {
  return {
    static_configs: alertmanager.alertmanagerAddresses,
    scheme: 'http',
    ...(alertmanager.routePrefix === '/' ? {} : { path_prefix: alertmanager.routePrefix }),
    timeout: '10s',
    api_version: 'v2',
  };
}

/**
 * A `--label` flag: `name="value"`, the value Go-quoted (cmd/thanos/config.go
 * parseFlagLabels unquotes it with strconv.Unquote). `$` is doubled, so
 * Kubernetes does not take `$(X)` in a value for a variable reference; pass
 * `expandable` for a value that is one (the pod name).
 * @internal
 */
export function labelFlag(name: string, value: string, expandable = false): string {
  const quoted = JSON.stringify(value);
  return `--label=${name}=${expandable ? quoted : quoted.replace(/\$/g, '$$$$')}`;
}
