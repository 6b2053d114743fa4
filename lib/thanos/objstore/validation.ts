import { InvalidValueError } from '../../errors';

/*
 * Checks of the arguments of the object storage factories: each throws an
 * InvalidValueError that names the factory and the argument.
 */

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// A Secret data key, as Kubernetes accepts it (IsConfigMapKey).
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const HOST = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/;

/** `'x'` for messages, whatever the value is. */
export function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** A value that must be a string matching `pattern`; `what` says what it must be. @internal */
export function requireMatch(factory: string, argument: string, value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidValueError(factory, argument, `${quote(value)} must be ${what}`);
  return value;
}

/** A Kubernetes object name (Secret, ConfigMap): a lowercase RFC 1123 subdomain. @internal */
export function requireObjectName(factory: string, argument: string, value: unknown): string {
  if (typeof value !== 'string' || !SUBDOMAIN.test(value) || value.length > 253) {
    throw new InvalidValueError(factory, argument, `${quote(value)} must be a lowercase RFC 1123 subdomain of at most 253 characters`);
  }
  return value;
}

/** A key of a Secret. @internal */
export function requireSecretKey(factory: string, argument: string, value: unknown): string {
  if (typeof value !== 'string' || !SECRET_KEY.test(value) || value.length > 253 || value === '.' || value.startsWith('..')) {
    throw new InvalidValueError(factory, argument, `${quote(value)} must be a Secret key: at most 253 of [-._a-zA-Z0-9], not '.' and not starting with '..'`);
  }
  return value;
}

/**
 * An endpoint as the objstore providers take it: `host` or `host:port`, with
 * no scheme (minio-go refuses one; `insecure` chooses HTTP) and no path.
 * @returns the port, when the endpoint names one
 * @internal
 */
export function parseEndpoint(factory: string, argument: string, value: unknown): number | undefined {
  const problem = (what: string) => new InvalidValueError(factory, argument, `${quote(value)} ${what}`);
  if (typeof value !== 'string' || value === '') throw problem('must be a host or host:port');
  if (value.includes('://')) throw problem('has a scheme: write host[:port] (plain HTTP is the `insecure` option)');
  const match = /^([^:/]+)(?::(\d+))?$/.exec(value);
  if (!match || !HOST.test(match[1])) throw problem('must be a host or host:port, without a path');
  if (match[2] === undefined) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw problem('has a port outside 1-65535');
  return port;
}
