import { IConstruct } from 'constructs';
import { invalid } from '../errors';

/**
 * Validates an HTTP route prefix (`/` or `/segment[/segment…]`), returning it
 * without a trailing slash (except for the root).
 * @internal
 */
export function validateRoutePrefix(scope: IConstruct, prop: string, value: string | undefined): string {
  const prefix = value ?? '/';
  if (prefix === '/') return prefix;
  if (!/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(prefix)) {
    invalid(scope, prop, `'${prefix}' must be '/' or start with '/' and contain only URL path segments`);
  }
  return prefix.replace(/\/$/, '');
}

/**
 * The path prefix a component serves under: the one the user set, or, when
 * none was set and an Ingress routes the component by path, the
 * component's conventional path (`/prometheus`). Everything that depends on
 * it (flags, probes, the URLs sidecars call, scrape paths) reads it at synth
 * time, so a prefix adopted after the component was created still applies.
 * @internal
 */
export class RoutePrefix {
  private current: string;
  private readonly explicit: boolean;

  constructor(scope: IConstruct, prop: string, value: string | undefined) {
    this.current = validateRoutePrefix(scope, prop, value);
    this.explicit = value !== undefined;
  }

  /** The prefix: `/` or `/segment…`. */
  public get value(): string {
    return this.current;
  }

  /** Serves under `path` unless the user chose a prefix; returns the prefix served under. */
  public adopt(path: string): string {
    if (!this.explicit) this.current = path;
    return this.current;
  }

  /** `prefix + path`, `/-/ready` under `/` being `/-/ready`. */
  public join(path: string): string {
    return `${this.current.replace(/\/+$/, '')}${path}`;
  }
}
