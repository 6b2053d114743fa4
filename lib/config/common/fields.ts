import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { promDurationProp } from '../../private/durations';
import { invalid } from '../../errors';

/** Renders a Duration for the config file, naming `field` when it cannot be. */
export function durationField(scope: IConstruct, field: string, d: Duration): string;
export function durationField(scope: IConstruct, field: string, d: Duration | undefined): string | undefined;
export function durationField(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  return promDurationProp(scope, field, d);
}

/** Like {@link durationField}, for intervals and timeouts, where zero means "unset" to Prometheus. */
export function positiveDuration(scope: IConstruct, field: string, d: Duration | undefined): string | undefined {
  const rendered = durationField(scope, field, d);
  if (rendered === '0s') invalid(scope, field, 'must be longer than zero');
  return rendered;
}

/**
 * A file the server reads (a secret, a CA, a target list): absolute, because
 * Prometheus resolves relative paths against the config file's directory,
 * which is a ConfigMap mount holding nothing else.
 */
export function filePath(scope: IConstruct, field: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  if (!path.startsWith('/') || /\s/.test(path) || path.endsWith('/')) {
    invalid(scope, field, `'${path}' must be an absolute path without whitespace, to a file mounted into the container`);
  }
  return path;
}

/** `host:port`, the form of scrape targets and SD servers. */
export function hostPort(scope: IConstruct, field: string, value: string, portRequired = true): string {
  const re = portRequired ? /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/ : /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/;
  if (!re.test(value) || Number(value.split(':').pop()) > 65535) {
    invalid(scope, field, `'${value}' must be host${portRequired ? ':port' : '[:port]'}`);
  }
  return value;
}

/**
 * An http(s) URL without credentials: the config lives in a ConfigMap, so
 * `user:password@` would publish the password to everyone who can read it.
 */
export function httpUrl(scope: IConstruct, field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid(scope, field, `'${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(scope, field, `'${value}' must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    invalid(scope, field, 'must not hold credentials (the config is a ConfigMap): use basic auth with a password file');
  }
  return value;
}
