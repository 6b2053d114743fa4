import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { goDurationProp, promDurationProp } from '../../private/durations';
import { invalid } from '../../errors';
import { SecretFile } from '../common/secret-file';
import { requiredSecretFile, secretFileField } from '../common/secret-mounts';

/**
 * Renders a route or global duration (Prometheus `model.Duration`: `30s`, `4h`, `1d`).
 * `positive` rejects zero, which Alertmanager refuses for group and repeat intervals.
 */
export function modelDuration(scope: IConstruct, field: string, d: Duration | undefined, positive = false): string | undefined {
  const out = promDurationProp(scope, field, d);
  if (positive && out === '0s') invalid(scope, field, 'must be longer than zero');
  return out;
}

/**
 * Renders a notifier `timeout`: those fields are Go `time.Duration`s decoded
 * by yaml.v2 with `time.ParseDuration`, which knows no `d` unit.
 */
export function notifierTimeout(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  return goDurationProp(scope, field, d);
}

/**
 * A `*File` field: a Secret's file, left as a {@link SecretFile} for the
 * Alertmanager to mount and turn into the path in its container. A string
 * (from JavaScript or a cast) is refused, naming the field.
 */
export function secretFile(scope: IConstruct, field: string, file: SecretFile | undefined): SecretFile | undefined;
export function secretFile(scope: IConstruct, field: string, file: SecretFile | undefined, what: string): SecretFile;
export function secretFile(scope: IConstruct, field: string, file: SecretFile | undefined, what?: string): SecretFile | undefined {
  return what === undefined ? secretFileField(scope, field, file) : requiredSecretFile(scope, field, file, what);
}

/**
 * An http(s) URL that carries no credentials: Alertmanager shows most URLs on
 * its status page, so user:password@ must come through a `*_file` field instead.
 */
export function httpUrl(scope: IConstruct, field: string, url: string | undefined, templated = false): string | undefined {
  if (url === undefined) return undefined;
  // A templated URL (webhooks) is checked with each {{ action }} standing in as one path-safe word.
  if (templated && (url.match(/\{\{/g)?.length ?? 0) !== (url.match(/\}\}/g)?.length ?? 0)) {
    invalid(scope, field, `'${url}' has unbalanced {{ }} template delimiters`);
  }
  const plain = templated ? url.replace(/\{\{.*?\}\}/g, 'x') : url;
  let parsed: URL;
  try {
    parsed = new URL(plain);
  } catch {
    invalid(scope, field, `'${url}' is not a URL`);
  }
  if (!/^https?:$/.test(parsed.protocol) || !parsed.hostname || /\s/.test(plain)) {
    invalid(scope, field, `'${url}' is not an http(s) URL with a host`);
  }
  if (parsed.username || parsed.password) {
    invalid(scope, field, `'${parsed.protocol}//${parsed.host}…' embeds credentials: put the URL in a Secret and use the matching *File field`);
  }
  return url;
}

/** A `host:port` address, as SMTP smarthosts are given. */
export function hostPort(scope: IConstruct, field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    invalid(scope, field, `'${value}' is not a host:port address (e.g. smtp.example.com:587)`);
  }
  return value;
}

/** A string that must be set and not blank. */
export function required(scope: IConstruct, field: string, value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') invalid(scope, field, `${what} is required`);
  return value;
}

/** Exactly one of the named values must be set. */
export function exactlyOne(scope: IConstruct, field: string, values: Record<string, unknown>): void {
  const set = Object.entries(values).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (set.length !== 1) {
    invalid(scope, field, `set exactly one of ${Object.keys(values).join(', ')}${set.length ? ` (got ${set.join(' and ')})` : ''}`);
  }
}

/** At most one of the named values may be set. */
export function atMostOne(scope: IConstruct, field: string, values: Record<string, unknown>): void {
  const set = Object.entries(values).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (set.length > 1) invalid(scope, field, `set at most one of ${Object.keys(values).join(', ')} (got ${set.join(' and ')})`);
}

/** An integer of at least `min`. */
export function integer(scope: IConstruct, field: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) invalid(scope, field, `must be an integer >= ${min}, got ${value}`);
  return value;
}

/** A value of a string enum; TypeScript checks it, this catches JavaScript callers and casts. */
export function oneOf<T extends string>(scope: IConstruct, field: string, value: T | undefined, allowed: Record<string, T>): T | undefined {
  if (value === undefined) return undefined;
  const values = Object.values(allowed);
  if (!values.includes(value)) invalid(scope, field, `'${value}' is not one of ${values.join(', ')}`);
  return value;
}

/**
 * Rejects inline secret fields, which the typed model does not have but a
 * JavaScript caller or a cast could pass: rendered, they would sit in plain
 * text in the ConfigMap. Each `key` has a `${key}File` counterpart.
 */
export function noInlineSecrets(scope: IConstruct, field: string, obj: object, keys: string[]): void {
  for (const key of keys) {
    if ((obj as Record<string, unknown>)[key] !== undefined) {
      invalid(scope, `${field}.${key}`, `inline secrets are not accepted (they would be stored in the ConfigMap): mount a Secret and set ${key}File`);
    }
  }
}
