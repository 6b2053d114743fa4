import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { exactlyOne, httpUrl, integer, noInlineSecrets, oneOf, secretFile } from '../common';
import { AlertmanagerGlobalConfig } from '../global';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** How Telegram formats the message text. */
export enum TelegramParseMode {
  HTML = 'HTML',
  MARKDOWN = 'Markdown',
  MARKDOWN_V2 = 'MarkdownV2',
}

/** Sends messages with a Telegram bot (`telegram_configs`). Set exactly one of `chatId` and `chatIdFile`. */
export interface TelegramConfig {
  /**
   * File holding the bot token.
   * @default global.telegramBotTokenFile (one of them is required)
   */
  readonly botTokenFile?: SecretFile;
  /**
   * Chat to post to (negative for groups and channels).
   * @default none
   */
  readonly chatId?: number;
  /**
   * File holding the chat ID.
   * @default none
   */
  readonly chatIdFile?: SecretFile;
  /**
   * Topic of a forum supergroup.
   * @default the general topic
   */
  readonly messageThreadId?: number;
  /** @default global.telegramApiUrl */
  readonly apiUrl?: string;
  /** @default '{{ template "telegram.default.message" . }}' */
  readonly message?: string;
  /** @default TelegramParseMode.HTML */
  readonly parseMode?: TelegramParseMode;
  /**
   * Deliver silently.
   * @default false
   */
  readonly disableNotifications?: boolean;
  /** @default true */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderTelegram(scope: IConstruct, field: string, c: TelegramConfig, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['botToken']);
  if (c.botTokenFile === undefined && global.telegramBotTokenFile === undefined) {
    invalid(scope, `${field}.botTokenFile`, 'no Telegram bot token: set botTokenFile here or global.telegramBotTokenFile');
  }
  exactlyOne(scope, field, { chatId: c.chatId, chatIdFile: c.chatIdFile });
  // Alertmanager reads 0 as "not set".
  if (c.chatId !== undefined && (!Number.isSafeInteger(c.chatId) || c.chatId === 0)) {
    invalid(scope, `${field}.chatId`, `must be a non-zero integer, got ${c.chatId}`);
  }
  return compact({
    send_resolved: c.sendResolved,
    bot_token_file: secretFile(scope, `${field}.botTokenFile`, c.botTokenFile),
    chat_id: c.chatId,
    chat_id_file: secretFile(scope, `${field}.chatIdFile`, c.chatIdFile),
    message_thread_id: integer(scope, `${field}.messageThreadId`, c.messageThreadId, 1),
    api_url: httpUrl(scope, `${field}.apiUrl`, c.apiUrl),
    message: c.message,
    parse_mode: oneOf(scope, `${field}.parseMode`, c.parseMode, TelegramParseMode),
    disable_notifications: c.disableNotifications,
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}
