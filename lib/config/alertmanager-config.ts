import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promDuration } from '../durations';
import { invalid } from '../errors';
import { compact, validateLabelName } from './validate';

/** A webhook receiver endpoint. */
export interface WebhookConfig {
  /**
   * The URL to POST alerts to. Use `urlFile` instead when the URL holds a token.
   * @default none
   */
  readonly url?: string;
  /**
   * File (mounted from a Secret) holding the URL.
   * @default none
   */
  readonly urlFile?: string;
  /** @default true */
  readonly sendResolved?: boolean;
  /**
   * Maximum alerts in one payload; 0 is all.
   * @default 0
   */
  readonly maxAlerts?: number;
}

/** A named notification target. */
export interface Receiver {
  /** Unique receiver name, referenced by routes. */
  readonly name: string;
  /** @default none: the receiver drops notifications */
  readonly webhookConfigs?: WebhookConfig[];
}

/** A node of the routing tree. */
export interface Route {
  /**
   * Receiver for alerts this route matches.
   * @default the parent route's receiver (required on the root route)
   */
  readonly receiver?: string;
  /**
   * Matchers in Prometheus syntax, e.g. `severity="critical"`, `team=~"db|infra"`.
   * @default matches everything
   */
  readonly matchers?: string[];
  /**
   * Labels alerts are grouped by; `['...']` groups by all labels.
   * @default the parent's
   */
  readonly groupBy?: string[];
  /** @default the parent's (30s at the root) */
  readonly groupWait?: Duration;
  /** @default the parent's (5m at the root) */
  readonly groupInterval?: Duration;
  /** @default the parent's (4h at the root) */
  readonly repeatInterval?: Duration;
  /**
   * Go on matching sibling routes after this one matched.
   * @default false
   */
  readonly continue?: boolean;
  /** @default none */
  readonly routes?: Route[];
}

/** The content of `alertmanager.yml`. */
export interface AlertmanagerConfig {
  /** The root route; it must name a receiver. */
  readonly route: Route;
  /** All receivers the routes name. */
  readonly receivers: Receiver[];
}

/** A config that sends nothing: a place to start, and valid for the real tool. */
export const NULL_ALERTMANAGER_CONFIG: AlertmanagerConfig = {
  route: { receiver: 'null', groupBy: ['alertname', 'namespace'] },
  receivers: [{ name: 'null' }],
};

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^\s"{},]+)\s*$/;

function duration(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  if (d === undefined) return undefined;
  try {
    return promDuration(d);
  } catch (e) {
    invalid(scope, field, (e as Error).message);
  }
}

function renderRoute(scope: IConstruct, field: string, route: Route, receivers: Set<string>, root: boolean): Record<string, unknown> {
  if (root && !route.receiver) invalid(scope, `${field}.receiver`, 'the root route must name a receiver');
  if (route.receiver !== undefined && !receivers.has(route.receiver)) {
    invalid(scope, `${field}.receiver`, `unknown receiver '${route.receiver}' (defined: ${[...receivers].join(', ') || 'none'})`);
  }
  route.matchers?.forEach((m, i) => {
    const match = MATCHER.exec(m);
    if (!match) invalid(scope, `${field}.matchers[${i}]`, `'${m}' is not a matcher like label="value" (=, !=, =~, !~)`);
  });
  route.groupBy?.forEach((l, i) => {
    if (l !== '...') validateLabelName(scope, `${field}.groupBy[${i}]`, l, true);
  });
  if (route.groupInterval && route.repeatInterval && route.repeatInterval.toMilliseconds() < route.groupInterval.toMilliseconds()) {
    invalid(scope, `${field}.repeatInterval`, 'must not be shorter than groupInterval');
  }
  return compact({
    receiver: route.receiver,
    matchers: route.matchers,
    group_by: route.groupBy,
    group_wait: duration(scope, `${field}.groupWait`, route.groupWait),
    group_interval: duration(scope, `${field}.groupInterval`, route.groupInterval),
    repeat_interval: duration(scope, `${field}.repeatInterval`, route.repeatInterval),
    continue: route.continue,
    routes: route.routes?.map((r, i) => renderRoute(scope, `${field}.routes[${i}]`, r, receivers, false)),
  });
}

function renderReceiver(scope: IConstruct, field: string, receiver: Receiver): Record<string, unknown> {
  return compact({
    name: receiver.name,
    webhook_configs: receiver.webhookConfigs?.map((w, i) => {
      const f = `${field}.webhookConfigs[${i}]`;
      if ((w.url === undefined) === (w.urlFile === undefined)) invalid(scope, f, 'set exactly one of url and urlFile');
      if (w.url !== undefined && !/^https?:\/\/[^\s]+$/.test(w.url)) invalid(scope, `${f}.url`, `'${w.url}' is not an http(s) URL`);
      return compact({ url: w.url, url_file: w.urlFile, send_resolved: w.sendResolved, max_alerts: w.maxAlerts });
    }),
  });
}

/** Validates the configuration and renders it as `alertmanager.yml` content. */
export function renderAlertmanagerConfig(scope: IConstruct, field: string, config: AlertmanagerConfig): Record<string, unknown> {
  const names = new Set<string>();
  config.receivers.forEach((r, i) => {
    if (!r.name) invalid(scope, `${field}.receivers[${i}].name`, 'must not be empty');
    if (names.has(r.name)) invalid(scope, `${field}.receivers[${i}].name`, `duplicate receiver name '${r.name}'`);
    names.add(r.name);
  });
  return compact({
    route: renderRoute(scope, `${field}.route`, config.route, names, true),
    receivers: config.receivers.map((r, i) => renderReceiver(scope, `${field}.receivers[${i}]`, r)),
  });
}
