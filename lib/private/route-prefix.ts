import { IConstruct } from 'constructs';
import { invalid } from '../errors';

/**
 * Validates an HTTP route prefix (`/` or `/segment[/segment…]`), returning it
 * without a trailing slash (except for the root).
 */
export function validateRoutePrefix(scope: IConstruct, prop: string, value: string | undefined): string {
  const prefix = value ?? '/';
  if (prefix === '/') return prefix;
  if (!/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(prefix)) {
    invalid(scope, prop, `'${prefix}' must be '/' or start with '/' and contain only URL path segments`);
  }
  return prefix.replace(/\/$/, '');
}
