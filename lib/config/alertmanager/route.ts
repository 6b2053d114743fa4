import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promDuration } from '../../private/durations';
import { invalid } from '../../errors';
import { compact } from '../common/validate';
import { modelDuration } from './common';
import { validateLabelList, validateMatcher } from './matchers';

/** A node of the routing tree. */
export interface Route {
  /**
   * Receiver for alerts this route matches.
   * @default the parent route's receiver (required on the root route)
   */
  readonly receiver?: string;
  /**
   * Matchers in Prometheus syntax, one per entry, value double-quoted:
   * `severity="critical"`, `team=~"db|infra"` (see {@link AlertMatcher}).
   * Not allowed on the root route, which must catch every alert.
   * @default matches everything
   */
  readonly matchers?: string[];
  /**
   * Labels alerts are grouped by; `['...']` groups by all labels.
   * @default the parent's (no grouping at the root)
   */
  readonly groupBy?: string[];
  /**
   * How long to wait to batch alerts of a new group into its first notification.
   * @default the parent's (30s at the root)
   */
  readonly groupWait?: Duration;
  /**
   * How long to wait before notifying about alerts added to a group already notified.
   * @default the parent's (5m at the root)
   */
  readonly groupInterval?: Duration;
  /**
   * How long to wait before notifying again about a group that has not changed.
   * Must not be shorter than the group interval in effect.
   * @default the parent's (4h at the root)
   */
  readonly repeatInterval?: Duration;
  /**
   * Go on matching sibling routes after this one matched.
   * @default false
   */
  readonly continue?: boolean;
  /**
   * Names of time intervals during which this route sends nothing.
   * Not allowed on the root route.
   * @default none
   */
  readonly muteTimeIntervals?: string[];
  /**
   * Names of time intervals outside of which this route sends nothing.
   * Not allowed on the root route.
   * @default always active
   */
  readonly activeTimeIntervals?: string[];
  /** @default none */
  readonly routes?: Route[];
}

/** What a route is checked against: names defined elsewhere in the config. */
export interface RouteContext {
  readonly receivers: ReadonlySet<string>;
  readonly timeIntervals: ReadonlySet<string>;
}

// Alertmanager's defaults at the root, which child routes inherit.
const ROOT_GROUP_INTERVAL = Duration.minutes(5);
const ROOT_REPEAT_INTERVAL = Duration.hours(4);

interface Inherited {
  readonly groupInterval: Duration;
  readonly repeatInterval: Duration;
}

function list(names: ReadonlySet<string>): string {
  return names.size ? [...names].join(', ') : 'none';
}

function renderNode(scope: IConstruct, field: string, route: Route, ctx: RouteContext, parent: Inherited | undefined): Record<string, unknown> {
  const root = parent === undefined;
  if (root) {
    if (!route.receiver) invalid(scope, `${field}.receiver`, 'the root route must name a receiver');
    if (route.matchers?.length) invalid(scope, `${field}.matchers`, 'the root route must not have matchers: it catches every alert');
    for (const key of ['muteTimeIntervals', 'activeTimeIntervals'] as const) {
      if (route[key]?.length) invalid(scope, `${field}.${key}`, 'the root route must not have time intervals: set them on a child route');
    }
  }
  if (route.receiver !== undefined && !ctx.receivers.has(route.receiver)) {
    invalid(scope, `${field}.receiver`, `unknown receiver '${route.receiver}' (defined: ${list(ctx.receivers)})`);
  }
  const matchers = route.matchers?.map((m, i) => validateMatcher(scope, `${field}.matchers[${i}]`, m));
  const groupBy = validateLabelList(scope, `${field}.groupBy`, route.groupBy, true);
  for (const key of ['muteTimeIntervals', 'activeTimeIntervals'] as const) {
    route[key]?.forEach((name, i) => {
      if (!ctx.timeIntervals.has(name)) {
        invalid(scope, `${field}.${key}[${i}]`, `unknown time interval '${name}' (defined: ${list(ctx.timeIntervals)})`);
      }
    });
  }

  const groupWait = modelDuration(scope, `${field}.groupWait`, route.groupWait);
  const groupInterval = modelDuration(scope, `${field}.groupInterval`, route.groupInterval, true);
  const repeatInterval = modelDuration(scope, `${field}.repeatInterval`, route.repeatInterval, true);
  const effective: Inherited = {
    groupInterval: route.groupInterval ?? parent?.groupInterval ?? ROOT_GROUP_INTERVAL,
    repeatInterval: route.repeatInterval ?? parent?.repeatInterval ?? ROOT_REPEAT_INTERVAL,
  };
  // Only where this route sets one of them: an inherited conflict is reported where it was set.
  if ((route.groupInterval || route.repeatInterval)
    && effective.repeatInterval.toMilliseconds() < effective.groupInterval.toMilliseconds()) {
    const show = (d: Duration, own: Duration | undefined) => `${promDuration(d)}${own ? '' : ', inherited'}`;
    invalid(scope, `${field}.${route.repeatInterval ? 'repeatInterval' : 'groupInterval'}`,
      `repeatInterval (${show(effective.repeatInterval, route.repeatInterval)}) must not be shorter than groupInterval (${show(effective.groupInterval, route.groupInterval)})`);
  }
  return compact({
    receiver: route.receiver,
    matchers,
    group_by: groupBy,
    group_wait: groupWait,
    group_interval: groupInterval,
    repeat_interval: repeatInterval,
    continue: route.continue,
    mute_time_intervals: route.muteTimeIntervals,
    active_time_intervals: route.activeTimeIntervals,
    routes: route.routes?.map((r, i) => renderNode(scope, `${field}.routes[${i}]`, r, ctx, effective)),
  });
}

/** Validates the routing tree and renders it as `route:`. */
export function renderRoute(scope: IConstruct, field: string, route: Route, ctx: RouteContext): Record<string, unknown> {
  return renderNode(scope, field, route, ctx, undefined);
}
