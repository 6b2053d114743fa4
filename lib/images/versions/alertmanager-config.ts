import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { Version } from './version';

/**
 * A field of `alertmanager.yml` that the library renders and that appeared
 * after the oldest supported Alertmanager (v0.27.0). Alertmanager parses its
 * config strictly (`yaml.UnmarshalStrict` in config/config.go), so an older
 * release refuses the whole file: it does not start, or keeps the old config.
 */
interface LateField {
  /** Where: the global section, a receiver, or the configs of one receiver type (`telegram_configs`). */
  readonly in: 'global' | 'receiver' | string;
  /** The YAML key. */
  readonly key: string;
  /** The prop it is rendered from, as errors name it (under `config.global`, a receiver, or one config). */
  readonly prop: string;
  readonly since: Version;
}

const V0_28 = Version.of('v0.28.0');
const V0_30 = Version.of('v0.30.0');
const V0_31 = Version.of('v0.31.0');

/**
 * Every field the library renders that v0.27.0 lacks, with the first release
 * whose struct has its yaml tag: read at the tags v0.27.0 to v0.34.0 in
 * config/config.go (GlobalConfig, Receiver) and config/notifiers.go
 * (EmailConfig, SlackConfig, TelegramConfig, WechatConfig); the HTTP client
 * fields of prometheus/common at the version each release requires have
 * every field the library renders from v0.27.0 on. Receiver types the
 * library does not render (jira, rocketchat 0.28; incidentio 0.29;
 * mattermost 0.30) need no entry.
 * @internal
 */
export const ALERTMANAGER_LATE_FIELDS: readonly LateField[] = [
  { in: 'receiver', key: 'msteamsv2_configs', prop: 'msteamsV2Configs', since: V0_28 },
  { in: 'global', key: 'smtp_tls_config', prop: 'smtpTlsConfig', since: V0_28 },
  { in: 'telegram_configs', key: 'message_thread_id', prop: 'messageThreadId', since: V0_28 },
  { in: 'global', key: 'slack_app_token_file', prop: 'slackAppTokenFile', since: V0_30 },
  { in: 'global', key: 'slack_app_url', prop: 'slackAppUrl', since: V0_30 },
  { in: 'slack_configs', key: 'app_token_file', prop: 'appTokenFile', since: V0_30 },
  { in: 'slack_configs', key: 'app_url', prop: 'appUrl', since: V0_30 },
  { in: 'global', key: 'smtp_auth_secret_file', prop: 'smtpAuthSecretFile', since: V0_31 },
  { in: 'global', key: 'smtp_force_implicit_tls', prop: 'smtpForceImplicitTls', since: V0_31 },
  { in: 'global', key: 'telegram_bot_token_file', prop: 'telegramBotTokenFile', since: V0_31 },
  { in: 'global', key: 'wechat_api_secret_file', prop: 'wechatApiSecretFile', since: V0_31 },
  { in: 'email_configs', key: 'auth_secret_file', prop: 'authSecretFile', since: V0_31 },
  { in: 'email_configs', key: 'force_implicit_tls', prop: 'forceImplicitTls', since: V0_31 },
  { in: 'telegram_configs', key: 'chat_id_file', prop: 'chatIdFile', since: V0_31 },
  { in: 'wechat_configs', key: 'api_secret_file', prop: 'apiSecretFile', since: V0_31 },
];

/** The prop of each receiver type's configs (`telegram_configs` → `telegramConfigs`). */
const CONFIGS_PROP: Record<string, string> = {
  email_configs: 'emailConfigs',
  slack_configs: 'slackConfigs',
  telegram_configs: 'telegramConfigs',
  wechat_configs: 'wechatConfigs',
};

type Rendered = Record<string, unknown>;
const objects = (value: unknown): Rendered[] => Array.isArray(value) ? value.filter((v): v is Rendered => typeof v === 'object' && v !== null) : [];

/**
 * Refuses a rendered `alertmanager.yml` with a field (or receiver type) that
 * `version` does not know, naming its prop under `field` (`config`) and the
 * first release that has it.
 * @internal
 */
export function checkAlertmanagerConfig(scope: IConstruct, field: string, version: Version, config: Rendered): void {
  const late = ALERTMANAGER_LATE_FIELDS.filter(f => version.olderThan(f.since));
  const refuse = (prop: string, f: LateField) =>
    invalid(scope, prop, `needs Alertmanager ${f.since} or later, the image runs ${version}`);
  const global = (config.global ?? {}) as Rendered;
  for (const f of late.filter(l => l.in === 'global')) {
    if (global[f.key] !== undefined) refuse(`${field}.global.${f.prop}`, f);
  }
  objects(config.receivers).forEach((receiver, i) => {
    for (const f of late.filter(l => l.in === 'receiver')) {
      if (receiver[f.key] !== undefined) refuse(`${field}.receivers[${i}].${f.prop}`, f);
    }
    for (const f of late.filter(l => l.in !== 'global' && l.in !== 'receiver')) {
      objects(receiver[f.in]).forEach((c, j) => {
        if (c[f.key] !== undefined) refuse(`${field}.receivers[${i}].${CONFIGS_PROP[f.in]}[${j}].${f.prop}`, f);
      });
    }
  });
}
