import { IConstruct } from 'constructs';
import { invalid } from '../../../errors';
import { compact } from '../../common/validate';
import { SecretFile } from '../../common/secret-file';
import { hostPort, noInlineSecrets, required, secretFile } from '../common';
import { AlertmanagerGlobalConfig } from '../global';
import { NotifierTlsConfig, renderTlsConfig } from '../http';

/** Notifies by email (`email_configs`). */
export interface EmailConfig {
  /** Recipient address(es), comma-separated; may be a template. */
  readonly to: string;
  /**
   * Sender address.
   * @default global.smtpFrom (one of them is required)
   */
  readonly from?: string;
  /**
   * SMTP server, `host:port`.
   * @default global.smtpSmarthost (one of them is required)
   */
  readonly smarthost?: string;
  /** @default global.smtpHello */
  readonly hello?: string;
  /** @default global.smtpAuthUsername */
  readonly authUsername?: string;
  /**
   * File holding the SMTP password.
   * @default global.smtpAuthPasswordFile
   */
  readonly authPasswordFile?: SecretFile;
  /**
   * File holding the CRAM-MD5 secret.
   * @default global.smtpAuthSecretFile
   */
  readonly authSecretFile?: SecretFile;
  /** @default global.smtpAuthIdentity */
  readonly authIdentity?: string;
  /**
   * Extra headers, e.g. `Subject`; names are case-insensitive.
   * @default Subject from the 'email.default.subject' template
   */
  readonly headers?: Record<string, string>;
  /**
   * HTML body template.
   * @default '{{ template "email.default.html" . }}'
   */
  readonly html?: string;
  /**
   * Plain-text body template.
   * @default none
   */
  readonly text?: string;
  /** @default global.smtpRequireTls */
  readonly requireTls?: boolean;
  /** @default global.smtpForceImplicitTls */
  readonly forceImplicitTls?: boolean;
  /** @default global.smtpTlsConfig */
  readonly tlsConfig?: NotifierTlsConfig;
  /** @default false */
  readonly sendResolved?: boolean;
}

export function renderEmail(scope: IConstruct, field: string, c: EmailConfig, global: AlertmanagerGlobalConfig): Record<string, unknown> {
  noInlineSecrets(scope, field, c, ['authPassword', 'authSecret']);
  required(scope, `${field}.to`, c.to, 'the recipient address (to)');
  if (c.smarthost === undefined && global.smtpSmarthost === undefined) {
    invalid(scope, `${field}.smarthost`, 'no SMTP server: set smarthost here or global.smtpSmarthost');
  }
  if (c.from === undefined && global.smtpFrom === undefined) {
    invalid(scope, `${field}.from`, 'no sender address: set from here or global.smtpFrom');
  }
  const seen = new Set<string>();
  for (const name of Object.keys(c.headers ?? {})) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) invalid(scope, `${field}.headers.${name}`, `duplicate header '${name}' (header names are case-insensitive)`);
    seen.add(lower);
  }
  return compact({
    send_resolved: c.sendResolved,
    to: c.to,
    from: c.from,
    smarthost: hostPort(scope, `${field}.smarthost`, c.smarthost),
    hello: c.hello,
    auth_username: c.authUsername,
    auth_password_file: secretFile(scope, `${field}.authPasswordFile`, c.authPasswordFile),
    auth_secret_file: secretFile(scope, `${field}.authSecretFile`, c.authSecretFile),
    auth_identity: c.authIdentity,
    headers: c.headers,
    html: c.html,
    text: c.text,
    require_tls: c.requireTls,
    force_implicit_tls: c.forceImplicitTls,
    tls_config: renderTlsConfig(scope, `${field}.tlsConfig`, c.tlsConfig),
  });
}
