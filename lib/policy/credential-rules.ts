import { parseAllDocuments } from 'yaml';
import { list } from './manifests';
import { PolicyRule } from './policy-rule';
import { containerRule, objectRule } from './rule-builders';

/*
 * Credentials: none inline in ConfigMap values, container commands, arguments
 * or env values.
 */

/**
 * Keys whose value is a credential in Prometheus, Alertmanager and friends
 * (besides any key ending in `_password`, `_token` or `_secret`). Their
 * `*_file` forms read the credential from a mounted Secret and are fine.
 */
export const CREDENTIAL_KEYS: readonly string[] = [
  'password', 'api_key', 'token', 'secret', 'routing_key', 'service_key', 'bot_token', 'auth_password', 'credentials', 'user_key',
];

function isCredentialKey(key: string): boolean {
  const k = key.toLowerCase();
  return CREDENTIAL_KEYS.includes(k) || /_(password|token|secret)$/.test(k);
}

/**
 * Whether a credential key's value is written inline. Exactly `$(VAR)` is a
 * reference Thanos fills from the pod's environment (set from a Secret), as
 * in its objstore and cache files: not inline.
 */
function isInlineValue(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !ENV_REFERENCE.test(value.trim()));
}

const ENV_REFERENCE = /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/;

/** Credential keys with an inline value anywhere in a parsed YAML/JSON value. */
function credentialKeysIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialKeysIn(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    return isCredentialKey(k) && isInlineValue(v) ? [here] : credentialKeysIn(v, here);
  });
}

const CREDENTIAL_LINE = /^\s*(?:-\s+)?["']?([A-Za-z0-9_]+)["']?\s*:\s*(.*)$/;

/** Credential keys in a ConfigMap value: YAML/JSON is walked; other text is read line by line. */
function inlineCredentials(text: string): string[] {
  try {
    const docs = parseAllDocuments(text);
    if (!Array.isArray(docs)) throw new Error('not a document list');
    if (docs.every(d => !d.errors.length)) {
      const values = docs.map(d => d.toJS());
      if (values.some(v => v && typeof v === 'object')) return values.flatMap(v => credentialKeysIn(v));
    }
  } catch {
    // Not YAML: fall through to reading lines.
  }
  return text.split('\n').flatMap(line => {
    const m = CREDENTIAL_LINE.exec(line);
    const value = m?.[2].replace(/\s+#.*$/, '').replace(/^(["'])(.*)\1$/, '$2').trim();
    return m && isCredentialKey(m[1]) && value && value !== '~' && value !== 'null' && !value.startsWith('#') && !ENV_REFERENCE.test(value) ? [m[1]] : [];
  });
}

/** `--x.password=v`, `token=v`, `?access_token=v`; `$(VAR)` values come from the environment and are fine. */
const CREDENTIAL_ASSIGNMENT = /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]+[._-])*(?:password|passwd|token|secret|api[-_]?key)=(?!\$\(|\s|$)/i;
const CREDENTIAL_ENV_NAME = /(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY)/i;
const REFERENCE_ENV_NAME = /_(FILE|PATH|DIR)$/i;

/**
 * The credential rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const credentialRules: readonly PolicyRule[] = [
  objectRule('configmap-no-inline-credentials',
    `ConfigMap values set no credential key (${CREDENTIAL_KEYS.join(', ')}, *_password, *_token, *_secret) to an inline value; `
    + 'use the *_file form and a Secret',
    ['ConfigMap'],
    cm => Object.entries(cm.data ?? {}).flatMap(([file, text]) => typeof text === 'string'
      ? inlineCredentials(text).map(key => `${file} sets ${key} inline: put the credential in a Secret and use the *_file form`)
      : []),
  ),
  containerRule('container-no-credential-args',
    'no container command, arg or env value passes a credential inline (`--...password=...`, `token=...`, or a literal value of an env var named *PASSWORD*/*TOKEN*/*SECRET*/*API_KEY*)',
    c => {
      const words = [...list<string>(c.spec.command), ...list<string>(c.spec.args)].filter(a => typeof a === 'string' && CREDENTIAL_ASSIGNMENT.test(a));
      const env = list(c.spec.env).filter(e => typeof e?.value === 'string' && e.value.trim() !== '' && !e.value.startsWith('$(')
        && (CREDENTIAL_ASSIGNMENT.test(e.value) || (CREDENTIAL_ENV_NAME.test(e.name ?? '') && !REFERENCE_ENV_NAME.test(e.name ?? ''))));
      const found = [...words.map(w => `argument ${w.split('=')[0]}=…`), ...env.map(e => `env ${e.name}`)];
      return found.length ? `passes a credential inline (${found.join(', ')}): read it from a Secret (valueFrom.secretKeyRef or a file)` : undefined;
    }),
];
