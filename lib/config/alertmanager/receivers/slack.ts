import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { atMostOne, httpUrl, noInlineSecrets, notifierTimeout, required, secretFile } from '../common';
import { AlertmanagerGlobalConfig } from '../global';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** A field of a Slack attachment. */
export interface SlackField {
  readonly title: string;
  readonly value: string;
  /** @default the receiver's `shortFields` */
  readonly short?: boolean;
}

/**
 * Notifies Slack (`slack_configs`), through an incoming webhook
 * (`apiUrlFile`) or as a Slack app (`appTokenFile`); either comes from here
 * or from the global settings.
 */
export interface SlackConfig {
  /**
   * File holding the incoming-webhook URL; excludes `appTokenFile`.
   * @default global.slackApiUrlFile
   */
  readonly apiUrlFile?: SecretFile;
  /**
   * File holding a Slack app (bot) token; excludes `apiUrlFile` and an `authorization` in `httpConfig`.
   * @default global.slackAppTokenFile
   */
  readonly appTokenFile?: SecretFile;
  /**
   * API endpoint used with the app token.
   * @default global.slackAppUrl
   */
  readonly appUrl?: string;
  /**
   * Channel (`#alerts`) or user (`@someone`).
   * @default the webhook's channel
   */
  readonly channel?: string;
  /** @default '{{ template "slack.default.username" . }}' */
  readonly username?: string;
  /** @default '{{ template "slack.default.color" . }}' */
  readonly color?: string;
  /** @default '{{ template "slack.default.title" . }}' */
  readonly title?: string;
  /** @default '{{ template "slack.default.titlelink" . }}' */
  readonly titleLink?: string;
  /** @default '{{ template "slack.default.pretext" . }}' */
  readonly pretext?: string;
  /** @default '{{ template "slack.default.text" . }}' */
  readonly text?: string;
  /** @default '{{ template "slack.default.footer" . }}' */
  readonly footer?: string;
  /** @default '{{ template "slack.default.fallback" . }}' */
  readonly fallback?: string;
  /** @default '{{ template "slack.default.callbackid" . }}' */
  readonly callbackId?: string;
  /** @default '{{ template "slack.default.iconemoji" . }}' */
  readonly iconEmoji?: string;
  /** @default '{{ template "slack.default.iconurl" . }}' */
  readonly iconUrl?: string;
  /** @default none */
  readonly imageUrl?: string;
  /** @default none */
  readonly thumbUrl?: string;
  /** @default none */
  readonly fields?: SlackField[];
  /** @default false */
  readonly shortFields?: boolean;
  /** @default false */
  readonly linkNames?: boolean;
  /**
   * Attachment fields rendered as Slack markdown, e.g. `['text', 'pretext']`.
   * @default none
   */
  readonly mrkdwnIn?: string[];
  /**
   * Give up on a request after this long.
   * @default no timeout
   */
  readonly timeout?: Duration;
  /** @default false */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderSlack(scope: IConstruct, field: string, c: SlackConfig, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['apiUrl', 'appToken']);
  atMostOne(scope, field, { apiUrlFile: c.apiUrlFile, appTokenFile: c.appTokenFile });
  if (c.apiUrlFile === undefined && c.appTokenFile === undefined
    && global.slackApiUrlFile === undefined && global.slackAppTokenFile === undefined) {
    invalid(scope, `${field}.apiUrlFile`, 'no Slack API URL: set apiUrlFile or appTokenFile here, or global.slackApiUrlFile or global.slackAppTokenFile');
  }
  // Alertmanager sends an app token as the Authorization header itself, so the
  // HTTP client in effect (the receiver's, else the global one) must not authenticate.
  // The global token applies unless the receiver sets an Authorization of its own.
  const usesAppToken = c.appTokenFile !== undefined || (global.slackAppTokenFile !== undefined && !c.httpConfig?.authorization);
  const http = c.httpConfig ?? global.httpConfig;
  const auth = (['authorization', 'basicAuth', 'oauth2'] as const).find(k => http?.[k] !== undefined);
  if (usesAppToken && auth) {
    invalid(scope, c.httpConfig ? `${field}.httpConfig.${auth}` : `${field}.appTokenFile`,
      `a Slack app token is sent as the Authorization header, so the HTTP client must not authenticate too (${c.httpConfig ? '' : 'global.'}httpConfig.${auth})`);
  }
  return compact({
    send_resolved: c.sendResolved,
    api_url_file: secretFile(scope, `${field}.apiUrlFile`, c.apiUrlFile),
    app_token_file: secretFile(scope, `${field}.appTokenFile`, c.appTokenFile),
    app_url: httpUrl(scope, `${field}.appUrl`, c.appUrl),
    channel: c.channel,
    username: c.username,
    color: c.color,
    title: c.title,
    title_link: c.titleLink,
    pretext: c.pretext,
    text: c.text,
    footer: c.footer,
    fallback: c.fallback,
    callback_id: c.callbackId,
    icon_emoji: c.iconEmoji,
    icon_url: c.iconUrl,
    image_url: c.imageUrl,
    thumb_url: c.thumbUrl,
    fields: c.fields?.map((f, i) => compact({
      title: required(scope, `${field}.fields[${i}].title`, f.title, 'title'),
      value: required(scope, `${field}.fields[${i}].value`, f.value, 'value'),
      short: f.short,
    })),
    short_fields: c.shortFields,
    link_names: c.linkNames,
    mrkdwn_in: c.mrkdwnIn,
    timeout: notifierTimeout(scope, `${field}.timeout`, c.timeout),
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}
