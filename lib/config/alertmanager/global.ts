import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { compact } from '../common/validate';
import { SecretFile } from '../common/secret-file';
import { hostPort, httpUrl, modelDuration, noInlineSecrets, secretFile } from './common';
import { NotifierHttpConfig, NotifierTlsConfig, renderHttpConfig, renderTlsConfig } from './http';

/**
 * Settings shared by all receivers (`global:`); each receiver can override its
 * own. Secrets only as files, mounted from a Secret.
 */
export interface AlertmanagerGlobalConfig {
  /**
   * How long after its last update an alert without an end time is resolved.
   * @default Duration.minutes(5)
   */
  readonly resolveTimeout?: Duration;
  /**
   * The HTTP client of every HTTP-based receiver.
   * @default Go's defaults
   */
  readonly httpConfig?: NotifierHttpConfig;

  /**
   * Default sender address of email receivers.
   * @default none: each email receiver must set `from`
   */
  readonly smtpFrom?: string;
  /**
   * Default SMTP server, `host:port`.
   * @default none: each email receiver must set `smarthost`
   */
  readonly smtpSmarthost?: string;
  /**
   * Host name sent in SMTP HELO.
   * @default 'localhost'
   */
  readonly smtpHello?: string;
  /** @default no SMTP authentication */
  readonly smtpAuthUsername?: string;
  /**
   * File holding the SMTP password (PLAIN and LOGIN auth).
   * @default none
   */
  readonly smtpAuthPasswordFile?: SecretFile;
  /**
   * File holding the SMTP CRAM-MD5 secret.
   * @default none
   */
  readonly smtpAuthSecretFile?: SecretFile;
  /** @default the username */
  readonly smtpAuthIdentity?: string;
  /**
   * Require STARTTLS.
   * @default true
   */
  readonly smtpRequireTls?: boolean;
  /**
   * Connect with TLS from the start (SMTPS) instead of STARTTLS.
   * @default by port: implicit TLS on 465, STARTTLS otherwise
   */
  readonly smtpForceImplicitTls?: boolean;
  /** @default Go's defaults */
  readonly smtpTlsConfig?: NotifierTlsConfig;

  /**
   * File holding the Slack incoming-webhook URL; excludes `slackAppTokenFile`.
   * @default none: each Slack receiver must set its own
   */
  readonly slackApiUrlFile?: SecretFile;
  /**
   * File holding a Slack app (bot) token; excludes `slackApiUrlFile`.
   * @default none
   */
  readonly slackAppTokenFile?: SecretFile;
  /**
   * Slack API endpoint used with app tokens.
   * @default 'https://slack.com/api/chat.postMessage'
   */
  readonly slackAppUrl?: string;

  /** @default 'https://events.pagerduty.com/v2/enqueue' */
  readonly pagerdutyUrl?: string;

  /** @default 'https://api.opsgenie.com/' */
  readonly opsgenieApiUrl?: string;
  /**
   * File holding the OpsGenie API key.
   * @default none: each OpsGenie receiver must set its own
   */
  readonly opsgenieApiKeyFile?: SecretFile;

  /** @default 'https://qyapi.weixin.qq.com/cgi-bin/' */
  readonly wechatApiUrl?: string;
  /**
   * File holding the WeChat Work application secret.
   * @default none: each WeChat receiver must set its own
   */
  readonly wechatApiSecretFile?: SecretFile;
  /**
   * WeChat Work corporation ID.
   * @default none: each WeChat receiver must set its own
   */
  readonly wechatApiCorpId?: string;

  /** @default 'https://api.telegram.org' */
  readonly telegramApiUrl?: string;
  /**
   * File holding the Telegram bot token.
   * @default none: each Telegram receiver must set its own
   */
  readonly telegramBotTokenFile?: SecretFile;
}

export function renderGlobal(scope: IConstruct, field: string, g: AlertmanagerGlobalConfig | undefined): Record<string, unknown> | undefined {
  if (!g) return undefined;
  noInlineSecrets(scope, field, g, ['smtpAuthPassword', 'smtpAuthSecret', 'slackApiUrl', 'slackAppToken', 'opsgenieApiKey', 'wechatApiSecret', 'telegramBotToken']);
  if (g.slackApiUrlFile !== undefined && g.slackAppTokenFile !== undefined) {
    invalid(scope, `${field}.slackAppTokenFile`, 'set at most one of slackApiUrlFile and slackAppTokenFile');
  }
  const f = (name: keyof AlertmanagerGlobalConfig) => `${field}.${name}`;
  const out = compact({
    resolve_timeout: modelDuration(scope, f('resolveTimeout'), g.resolveTimeout),
    http_config: renderHttpConfig(scope, f('httpConfig'), g.httpConfig),
    smtp_from: g.smtpFrom,
    smtp_smarthost: hostPort(scope, f('smtpSmarthost'), g.smtpSmarthost),
    smtp_hello: g.smtpHello,
    smtp_auth_username: g.smtpAuthUsername,
    smtp_auth_password_file: secretFile(scope, f('smtpAuthPasswordFile'), g.smtpAuthPasswordFile),
    smtp_auth_secret_file: secretFile(scope, f('smtpAuthSecretFile'), g.smtpAuthSecretFile),
    smtp_auth_identity: g.smtpAuthIdentity,
    smtp_require_tls: g.smtpRequireTls,
    smtp_force_implicit_tls: g.smtpForceImplicitTls,
    smtp_tls_config: renderTlsConfig(scope, f('smtpTlsConfig'), g.smtpTlsConfig),
    slack_api_url_file: secretFile(scope, f('slackApiUrlFile'), g.slackApiUrlFile),
    slack_app_token_file: secretFile(scope, f('slackAppTokenFile'), g.slackAppTokenFile),
    slack_app_url: httpUrl(scope, f('slackAppUrl'), g.slackAppUrl),
    pagerduty_url: httpUrl(scope, f('pagerdutyUrl'), g.pagerdutyUrl),
    opsgenie_api_url: httpUrl(scope, f('opsgenieApiUrl'), g.opsgenieApiUrl),
    opsgenie_api_key_file: secretFile(scope, f('opsgenieApiKeyFile'), g.opsgenieApiKeyFile),
    wechat_api_url: httpUrl(scope, f('wechatApiUrl'), g.wechatApiUrl),
    wechat_api_secret_file: secretFile(scope, f('wechatApiSecretFile'), g.wechatApiSecretFile),
    wechat_api_corp_id: g.wechatApiCorpId,
    telegram_api_url: httpUrl(scope, f('telegramApiUrl'), g.telegramApiUrl),
    telegram_bot_token_file: secretFile(scope, f('telegramBotTokenFile'), g.telegramBotTokenFile),
  });
  return Object.keys(out).length ? out : undefined;
}
