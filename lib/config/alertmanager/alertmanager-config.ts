import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { AlertmanagerGlobalConfig, renderGlobal } from './global';
import { InhibitRule, renderInhibitRules } from './inhibit';
import { Receiver, renderReceivers } from './receivers/receiver';
import { renderRoute, Route } from './route';
import { renderTimeIntervals, TimeInterval } from './time-intervals';
import { copyRendered } from '../common/secret-mounts';
import { compact } from '../common/validate';

// The typed model lives in ./alertmanager/; this module is its public face.
export { AlertMatcher } from './matchers';
export { NotifierTlsVersion } from './http';
export type { NotifierAuthorization, NotifierBasicAuth, NotifierHttpConfig, NotifierOAuth2, NotifierTlsConfig } from './http';
export type { AlertmanagerGlobalConfig } from './global';
export type { Route } from './route';
export type { InhibitRule } from './inhibit';
export { Month, Weekday } from './time-intervals';
export type { DayOfMonthRange, MonthRange, TimeInterval, TimeOfDayRange, TimePeriod, WeekdayRange, YearRange } from './time-intervals';
export { Receivers } from './receivers/receiver';
export type { DingTalkBridgeOptions, Receiver } from './receivers/receiver';
export type { EmailConfig } from './receivers/email';
export type { WebhookConfig } from './receivers/webhook';
export type { SlackConfig, SlackField } from './receivers/slack';
export type { PagerDutyConfig, PagerDutyImage, PagerDutyLink } from './receivers/pagerduty';
export { OpsGeniePriority, OpsGenieResponderType } from './receivers/opsgenie';
export type { OpsGenieConfig, OpsGenieResponder } from './receivers/opsgenie';
export { WeChatMessageType } from './receivers/wechat';
export type { WeChatConfig } from './receivers/wechat';
export { TelegramParseMode } from './receivers/telegram';
export type { TelegramConfig } from './receivers/telegram';
export type { MsTeamsConfig, MsTeamsV2Config } from './receivers/msteams';

/**
 * The content of `alertmanager.yml`, for Alertmanager 0.33 and 0.34. Secrets
 * are only ever referenced as files (`*File` fields), which the pod mounts
 * from a Secret: the rendered config holds none and can live in a ConfigMap.
 */
export interface AlertmanagerConfig {
  /** @default Alertmanager's defaults */
  readonly global?: AlertmanagerGlobalConfig;
  /** The root route; it must name a receiver and match every alert. */
  readonly route: Route;
  /** All receivers the routes name. */
  readonly receivers: Receiver[];
  /** @default none */
  readonly inhibitRules?: InhibitRule[];
  /**
   * Named time intervals for routes' `muteTimeIntervals` and `activeTimeIntervals`.
   * @default none
   */
  readonly timeIntervals?: TimeInterval[];
  /**
   * Globs of notification template files, e.g. `/etc/alertmanager/templates/*.tmpl`.
   * Relative paths are read from the config file's directory.
   * @default none
   */
  readonly templates?: string[];
}

/** A config that sends nothing: a place to start, and valid for the real tool. */
export const NULL_ALERTMANAGER_CONFIG: AlertmanagerConfig = {
  route: { receiver: 'null', groupBy: ['alertname', 'namespace'] },
  receivers: [{ name: 'null' }],
};

function renderTemplates(scope: IConstruct, field: string, globs: string[] | undefined): string[] | undefined {
  globs?.forEach((glob, i) => {
    // Go's filepath.Glob rejects an unclosed character class.
    if (!glob.trim() || /[\n\r]/.test(glob) || (glob.match(/\[/g)?.length ?? 0) > (glob.match(/\]/g)?.length ?? 0)) {
      invalid(scope, `${field}[${i}]`, `'${glob}' is not a file glob`);
    }
  });
  return globs;
}

/**
 * Validates the configuration and renders it as `alertmanager.yml` content,
 * with each secret file still a {@link SecretFile}: the Alertmanager that
 * reads the config turns them into the paths it mounts them at.
 */
export function renderAlertmanagerConfig(scope: IConstruct, field: string, config: AlertmanagerConfig): Record<string, unknown> {
  const global = config.global ?? {};
  const receivers = renderReceivers(scope, `${field}.receivers`, config.receivers ?? [], global);
  const timeIntervals = renderTimeIntervals(scope, `${field}.timeIntervals`, config.timeIntervals);
  if (!config.route) invalid(scope, `${field}.route`, 'is required');
  const rendered = compact({
    global: renderGlobal(scope, `${field}.global`, config.global),
    templates: renderTemplates(scope, `${field}.templates`, config.templates),
    route: renderRoute(scope, `${field}.route`, config.route, { receivers: receivers.names, timeIntervals: timeIntervals.names }),
    inhibit_rules: renderInhibitRules(scope, `${field}.inhibitRules`, config.inhibitRules),
    receivers: receivers.rendered,
    time_intervals: timeIntervals.rendered,
  });
  // A list shared between routes (one `groupBy` constant, say) would otherwise
  // come out as a YAML anchor and alias: valid, but hard to read in the ConfigMap.
  // SecretFile values stay, for the Alertmanager to resolve into its mounted paths.
  return copyRendered(rendered);
}
