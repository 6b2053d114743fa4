import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { httpUrl, noInlineSecrets, oneOf, secretFile } from '../common';
import { AlertmanagerGlobalConfig } from '../global';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** Formats of WeChat messages. */
export enum WeChatMessageType {
  TEXT = 'text',
  MARKDOWN = 'markdown',
}

/** Sends WeChat Work (WeCom) application messages (`wechat_configs`). */
export interface WeChatConfig {
  /**
   * File holding the application secret.
   * @default global.wechatApiSecretFile (one of them is required)
   */
  readonly apiSecretFile?: SecretFile;
  /**
   * Corporation ID.
   * @default global.wechatApiCorpId (one of them is required)
   */
  readonly corpId?: string;
  /** @default global.wechatApiUrl */
  readonly apiUrl?: string;
  /** @default '{{ template "wechat.default.agent_id" . }}' */
  readonly agentId?: string;
  /** @default '{{ template "wechat.default.to_user" . }}' */
  readonly toUser?: string;
  /** @default '{{ template "wechat.default.to_party" . }}' */
  readonly toParty?: string;
  /** @default '{{ template "wechat.default.to_tag" . }}' */
  readonly toTag?: string;
  /** @default '{{ template "wechat.default.message" . }}' */
  readonly message?: string;
  /** @default WeChatMessageType.TEXT */
  readonly messageType?: WeChatMessageType;
  /** @default false */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderWeChat(scope: IConstruct, field: string, c: WeChatConfig, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['apiSecret']);
  if (c.apiSecretFile === undefined && global.wechatApiSecretFile === undefined) {
    invalid(scope, `${field}.apiSecretFile`, 'no WeChat API secret: set apiSecretFile here or global.wechatApiSecretFile');
  }
  if (c.corpId === undefined && global.wechatApiCorpId === undefined) {
    invalid(scope, `${field}.corpId`, 'no WeChat corporation ID: set corpId here or global.wechatApiCorpId');
  }
  return compact({
    send_resolved: c.sendResolved,
    api_secret_file: secretFile(scope, `${field}.apiSecretFile`, c.apiSecretFile),
    corp_id: c.corpId,
    api_url: httpUrl(scope, `${field}.apiUrl`, c.apiUrl),
    agent_id: c.agentId,
    to_user: c.toUser,
    to_party: c.toParty,
    to_tag: c.toTag,
    message: c.message,
    message_type: oneOf(scope, `${field}.messageType`, c.messageType, WeChatMessageType),
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}
