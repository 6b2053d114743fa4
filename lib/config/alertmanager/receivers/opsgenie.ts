import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { exactlyOne, httpUrl, noInlineSecrets, oneOf, secretFile } from '../common';
import { AlertmanagerGlobalConfig } from '../global';
import { NotifierHttpConfig, renderHttpConfig } from '../http';

/** Kinds of OpsGenie responders. */
export enum OpsGenieResponderType {
  TEAM = 'team',
  /** A comma-separated list of team names in `name`. */
  TEAMS = 'teams',
  USER = 'user',
  ESCALATION = 'escalation',
  SCHEDULE = 'schedule',
}

/** OpsGenie alert priorities, P1 the highest. */
export enum OpsGeniePriority {
  P1 = 'P1',
  P2 = 'P2',
  P3 = 'P3',
  P4 = 'P4',
  P5 = 'P5',
}

/** Who is responsible for an OpsGenie alert: set exactly one of id, name, username. */
export interface OpsGenieResponder {
  readonly type: OpsGenieResponderType;
  /** @default none */
  readonly id?: string;
  /** @default none */
  readonly name?: string;
  /** @default none */
  readonly username?: string;
}

/** Creates OpsGenie alerts (`opsgenie_configs`). */
export interface OpsGenieConfig {
  /**
   * File holding the API key.
   * @default global.opsgenieApiKeyFile (one of them is required)
   */
  readonly apiKeyFile?: SecretFile;
  /** @default global.opsgenieApiUrl */
  readonly apiUrl?: string;
  /** @default '{{ template "opsgenie.default.message" . }}' */
  readonly message?: string;
  /** @default '{{ template "opsgenie.default.description" . }}' */
  readonly description?: string;
  /** @default '{{ template "opsgenie.default.source" . }}' */
  readonly source?: string;
  /** @default the common labels */
  readonly details?: Record<string, string>;
  /** @default none */
  readonly entity?: string;
  /** @default none */
  readonly responders?: OpsGenieResponder[];
  /**
   * Comma-separated actions available on the alert.
   * @default none
   */
  readonly actions?: string;
  /**
   * Comma-separated tags.
   * @default none
   */
  readonly tags?: string;
  /** @default none */
  readonly note?: string;
  /** @default OpsGenie's default (P3) */
  readonly priority?: OpsGeniePriority;
  /**
   * Update message and description of an alert that is already open.
   * @default false
   */
  readonly updateAlerts?: boolean;
  /** @default true */
  readonly sendResolved?: boolean;
  /** @default global.httpConfig */
  readonly httpConfig?: NotifierHttpConfig;
}

export function renderOpsGenie(scope: IConstruct, field: string, c: OpsGenieConfig, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['apiKey']);
  if (c.apiKeyFile === undefined && global.opsgenieApiKeyFile === undefined) {
    invalid(scope, `${field}.apiKeyFile`, 'no OpsGenie API key: set apiKeyFile here or global.opsgenieApiKeyFile');
  }
  return compact({
    send_resolved: c.sendResolved,
    api_key_file: secretFile(scope, `${field}.apiKeyFile`, c.apiKeyFile),
    api_url: httpUrl(scope, `${field}.apiUrl`, c.apiUrl),
    message: c.message,
    description: c.description,
    source: c.source,
    details: c.details,
    entity: c.entity,
    responders: c.responders?.map((r, i) => {
      const f = `${field}.responders[${i}]`;
      exactlyOne(scope, f, { id: r.id, name: r.name, username: r.username });
      if (r.type === undefined) invalid(scope, `${f}.type`, 'is required');
      return compact({ id: r.id, name: r.name, username: r.username, type: oneOf(scope, `${f}.type`, r.type, OpsGenieResponderType) });
    }),
    actions: c.actions,
    tags: c.tags,
    note: c.note,
    priority: oneOf(scope, `${field}.priority`, c.priority, OpsGeniePriority),
    update_alerts: c.updateAlerts,
    http_config: renderHttpConfig(scope, `${field}.httpConfig`, c.httpConfig),
  });
}
