import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { exactlyOne, httpUrl, integer, notifierTimeout, secretFile } from '../common';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** POSTs the alert group as JSON to an HTTP endpoint (`webhook_configs`). */
export interface WebhookConfig {
  /**
   * The URL to POST alerts to, for endpoints whose URL is no secret (an
   * in-cluster bridge, say); may hold templates such as `{{ .GroupLabels.team }}`
   * after a literal scheme and host.
   * Exactly one of `url` and `urlFile`.
   * @default none
   */
  readonly url?: string;
  /**
   * File (mounted from a Secret) holding the URL, when it carries a token.
   * @default none
   */
  readonly urlFile?: SecretFile;
  /** @default true */
  readonly sendResolved?: boolean;
  /**
   * Maximum alerts in one payload; 0 is all.
   * @default 0
   */
  readonly maxAlerts?: number;
  /**
   * Give up on a request after this long.
   * @default no timeout
   */
  readonly timeout?: Duration;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderWebhook(scope: IConstruct, field: string, w: WebhookConfig): Record<string, unknown> {
  exactlyOne(scope, field, { url: w.url, urlFile: w.urlFile });
  return compact({
    send_resolved: w.sendResolved,
    url: httpUrl(scope, `${field}.url`, w.url, true),
    url_file: secretFile(scope, `${field}.urlFile`, w.urlFile),
    max_alerts: integer(scope, `${field}.maxAlerts`, w.maxAlerts, 0),
    timeout: notifierTimeout(scope, `${field}.timeout`, w.timeout),
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, w.httpConfig),
  });
}
