import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { AlertmanagerGlobalConfig } from '../global';
import { EmailConfig, renderEmail } from './email';
import { MsTeamsConfig, MsTeamsV2Config, renderMsTeams, renderMsTeamsV2 } from './msteams';
import { OpsGenieConfig, renderOpsGenie } from './opsgenie';
import { PagerDutyConfig, renderPagerDuty } from './pagerduty';
import { renderSlack, SlackConfig } from './slack';
import { renderTelegram, TelegramConfig } from './telegram';
import { renderWebhook, WebhookConfig } from './webhook';
import { renderWeChat, WeChatConfig } from './wechat';

/**
 * A named notification target, referenced by routes. It notifies through
 * every config it lists; with none, it drops notifications (a "null" receiver).
 */
export interface Receiver {
  /** Unique receiver name. */
  readonly name: string;
  /** @default none */
  readonly emailConfigs?: EmailConfig[];
  /** @default none */
  readonly webhookConfigs?: WebhookConfig[];
  /** @default none */
  readonly slackConfigs?: SlackConfig[];
  /** @default none */
  readonly pagerdutyConfigs?: PagerDutyConfig[];
  /** @default none */
  readonly opsgenieConfigs?: OpsGenieConfig[];
  /** @default none */
  readonly wechatConfigs?: WeChatConfig[];
  /** @default none */
  readonly telegramConfigs?: TelegramConfig[];
  /** @default none */
  readonly msteamsConfigs?: MsTeamsConfig[];
  /** @default none */
  readonly msteamsV2Configs?: MsTeamsV2Config[];
}

/** Options of {@link Receivers.dingTalkBridge}. */
export interface DingTalkBridgeOptions {
  /** @default true */
  readonly sendResolved?: boolean;
  /**
   * Alerts per message; DingTalk rejects very long messages, so a large
   * group is better cut short than lost.
   * @default 0 (all)
   */
  readonly maxAlerts?: number;
  /** @default no timeout */
  readonly timeout?: Duration;
}

/** Shortcuts for common receivers. */
export class Receivers {
  /**
   * DingTalk has no native Alertmanager receiver: alerts go as a webhook to a
   * bridge such as timonwong/prometheus-webhook-dingtalk, which holds the
   * DingTalk robot's token and secret and formats the message.
   *
   * @param name receiver name
   * @param bridgeUrl the bridge profile's endpoint, e.g.
   *   `http://dingtalk-bridge:8060/dingtalk/<profile>/send`
   */
  public static dingTalkBridge(name: string, bridgeUrl: string, options: DingTalkBridgeOptions = {}): Receiver {
    return {
      name,
      webhookConfigs: [{ url: bridgeUrl, sendResolved: options.sendResolved ?? true, maxAlerts: options.maxAlerts, timeout: options.timeout }],
    };
  }

  /** A receiver that drops notifications, e.g. the root route's for alerts nobody routed. */
  public static blackhole(name: string): Receiver {
    return { name };
  }

  private constructor() {}
}

type Renderer<T> = (scope: IConstruct, field: string, config: T, global: AlertmanagerGlobalConfig) => Record<string, unknown>;

function each<T>(scope: IConstruct, field: string, configs: T[] | undefined, global: AlertmanagerGlobalConfig, render: Renderer<T>): unknown[] | undefined {
  return configs?.map((c, i) => render(scope, `${field}[${i}]`, c, global));
}

function renderReceiver(scope: IConstruct, field: string, r: Receiver, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  return compact({
    name: r.name,
    email_configs: each(scope, `${field}.emailConfigs`, r.emailConfigs, global, renderEmail),
    webhook_configs: each(scope, `${field}.webhookConfigs`, r.webhookConfigs, global, renderWebhook),
    slack_configs: each(scope, `${field}.slackConfigs`, r.slackConfigs, global, renderSlack),
    pagerduty_configs: each(scope, `${field}.pagerdutyConfigs`, r.pagerdutyConfigs, global, renderPagerDuty),
    opsgenie_configs: each(scope, `${field}.opsgenieConfigs`, r.opsgenieConfigs, global, renderOpsGenie),
    wechat_configs: each(scope, `${field}.wechatConfigs`, r.wechatConfigs, global, renderWeChat),
    telegram_configs: each(scope, `${field}.telegramConfigs`, r.telegramConfigs, global, renderTelegram),
    msteams_configs: each(scope, `${field}.msteamsConfigs`, r.msteamsConfigs, global, renderMsTeams),
    msteamsv2_configs: each(scope, `${field}.msteamsV2Configs`, r.msteamsV2Configs, global, renderMsTeamsV2),
  });
}

/** Validates names (unique, not empty) and renders `receivers:`; returns them and their names. */
export function renderReceivers(scope: IConstruct, field: string, receivers: Receiver[], global: AlertmanagerGlobalConfig): { rendered: unknown[]; names: Set<string> } {
  const names = new Set<string>();
  receivers.forEach((r, i) => {
    if (!r.name || !r.name.trim()) invalid(scope, `${field}[${i}].name`, 'must not be empty');
    if (names.has(r.name)) invalid(scope, `${field}[${i}].name`, `duplicate receiver name '${r.name}'`);
    names.add(r.name);
  });
  return { rendered: receivers.map((r, i) => renderReceiver(scope, `${field}[${i}]`, r, global)), names };
}
