import { IConstruct } from 'constructs';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { noInlineSecrets, secretFile } from '../common';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/**
 * Notifies a Microsoft Teams channel through an Office 365 connector webhook
 * (`msteams_configs`). Microsoft is retiring these connectors: prefer
 * {@link MsTeamsV2Config} (Power Automate workflows).
 */
export interface MsTeamsConfig {
  /** File (mounted from a Secret) holding the incoming-webhook URL. */
  readonly webhookUrlFile: SecretFile;
  /** @default '{{ template "msteams.default.title" . }}' */
  readonly title?: string;
  /** @default '{{ template "msteams.default.summary" . }}' */
  readonly summary?: string;
  /** @default '{{ template "msteams.default.text" . }}' */
  readonly text?: string;
  /** @default true */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

/**
 * Notifies a Microsoft Teams channel through a Power Automate workflow webhook
 * with adaptive cards (`msteamsv2_configs`, Alertmanager 0.28 and later).
 */
export interface MsTeamsV2Config {
  /** File (mounted from a Secret) holding the workflow webhook URL. */
  readonly webhookUrlFile: SecretFile;
  /** @default '{{ template "msteamsv2.default.title" . }}' */
  readonly title?: string;
  /** @default '{{ template "msteamsv2.default.text" . }}' */
  readonly text?: string;
  /** @default true */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderMsTeams(scope: IConstruct, field: string, c: MsTeamsConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['webhookUrl']);
  return compact({
    send_resolved: c.sendResolved,
    webhook_url_file: secretFile(scope, `${field}.webhookUrlFile`, c.webhookUrlFile, 'the webhook URL file'),
    title: c.title,
    summary: c.summary,
    text: c.text,
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}

export function renderMsTeamsV2(scope: IConstruct, field: string, c: MsTeamsV2Config): Record<string, unknown> {
  // v2 has no summary; the shared renderer leaves it out when unset.
  return renderMsTeams(scope, field, { ...c, summary: undefined });
}
