import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { exactlyOne, httpUrl, noInlineSecrets, notifierTimeout, required, secretFile } from '../common';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** A link attached to a PagerDuty incident. */
export interface PagerDutyLink {
  readonly href: string;
  /** @default the href */
  readonly text?: string;
}

/** An image attached to a PagerDuty incident. */
export interface PagerDutyImage {
  readonly src: string;
  /** @default none */
  readonly alt?: string;
  /** @default none */
  readonly href?: string;
}

/**
 * Opens PagerDuty incidents (`pagerduty_configs`). Set exactly one key file:
 * `routingKeyFile` for an Events API v2 integration, `serviceKeyFile` for the
 * older "Prometheus" integration type.
 */
export interface PagerDutyConfig {
  /**
   * File holding the Events API v2 integration (routing) key.
   * @default none
   */
  readonly routingKeyFile?: SecretFile;
  /**
   * File holding the integration key of a "Prometheus" type integration.
   * @default none
   */
  readonly serviceKeyFile?: SecretFile;
  /** @default global.pagerdutyUrl */
  readonly url?: string;
  /** @default '{{ template "pagerduty.default.client" . }}' */
  readonly client?: string;
  /** @default '{{ template "pagerduty.default.clientURL" . }}' */
  readonly clientUrl?: string;
  /** @default '{{ template "pagerduty.default.description" .}}' */
  readonly description?: string;
  /**
   * One of critical, error, warning, info; may be a template such as
   * '{{ .CommonLabels.severity }}'.
   * @default 'error'
   */
  readonly severity?: string;
  /** @default the client */
  readonly source?: string;
  /** @default the firing and resolved alerts and their counts */
  readonly details?: Record<string, string>;
  /** @default none */
  readonly component?: string;
  /** @default none */
  readonly group?: string;
  /** @default none */
  readonly class?: string;
  /** @default none */
  readonly links?: PagerDutyLink[];
  /** @default none */
  readonly images?: PagerDutyImage[];
  /**
   * Give up on a request after this long.
   * @default no timeout
   */
  readonly timeout?: Duration;
  /** @default true */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderPagerDuty(scope: IConstruct, field: string, c: PagerDutyConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['routingKey', 'serviceKey']);
  exactlyOne(scope, field, { routingKeyFile: c.routingKeyFile, serviceKeyFile: c.serviceKeyFile });
  return compact({
    send_resolved: c.sendResolved,
    routing_key_file: secretFile(scope, `${field}.routingKeyFile`, c.routingKeyFile),
    service_key_file: secretFile(scope, `${field}.serviceKeyFile`, c.serviceKeyFile),
    url: httpUrl(scope, `${field}.url`, c.url),
    client: c.client,
    client_url: c.clientUrl,
    description: c.description,
    severity: c.severity,
    source: c.source,
    details: c.details,
    component: c.component,
    group: c.group,
    class: c.class,
    links: c.links?.map((l, i) => compact({ href: required(scope, `${field}.links[${i}].href`, l.href, 'href'), text: l.text })),
    images: c.images?.map((img, i) => compact({ src: required(scope, `${field}.images[${i}].src`, img.src, 'src'), alt: img.alt, href: img.href })),
    timeout: notifierTimeout(scope, `${field}.timeout`, c.timeout),
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}
