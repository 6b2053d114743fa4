import { Construct } from 'constructs';
import { SecretFile } from '../config/common/secret-file';
import { invalid } from '../errors';
import { NetworkPeer } from '../wiring/network-graph';

/** The admin login of Grafana: keys of an existing Secret in Grafana's namespace. */
export interface GrafanaAdminCredentials {
  /** The Secret, in Grafana's namespace; the library never writes it. */
  readonly secretName: string;
  /**
   * Key of the admin user name.
   * @default 'admin-user' (the key the Grafana Helm chart uses)
   */
  readonly userKey?: string;
  /**
   * Key of the admin password.
   * @default 'admin-password' (the key the Grafana Helm chart uses)
   */
  readonly passwordKey?: string;
}

/** An external database for Grafana's state (users, dashboards saved in the UI, alert state, sessions). */
export interface GrafanaDatabase {
  /**
   * The database URL, e.g. `postgres://grafana:<password>@db.example.com:5432/grafana`
   * or `mysql://…`, as a key of a Secret: it holds the password. Grafana reads
   * it from the mounted file (`GF_DATABASE_URL__FILE`).
   */
  readonly urlSecret: SecretFile;
  /**
   * The database's TCP port, which the NetworkPolicy opens.
   * @default 5432 (PostgreSQL)
   */
  readonly port?: number;
  /**
   * Where the database runs, for the NetworkPolicy.
   * @default NetworkPeer.anywhere(): a managed database outside the cluster
   */
  readonly peer?: NetworkPeer;
}

// A Secret name (a lowercase RFC 1123 subdomain) and a Secret data key, as Kubernetes accepts them.
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The name of the Secret with Grafana's admin login. @internal */
export function validateSecretName(scope: Construct, prop: string, value: unknown): string {
  if (value === undefined) invalid(scope, prop, "is required: the Secret with Grafana's admin user and password");
  if (typeof value !== 'string' || !SECRET_NAME.test(value) || value.length > 253) {
    invalid(scope, prop, `${show(value)} must be the name of a Secret in Grafana's namespace: a lowercase RFC 1123 subdomain of at most 253 characters`);
  }
  return value;
}

/** A key of a Secret. @internal */
export function validateSecretKey(scope: Construct, prop: string, value: unknown): string {
  if (typeof value !== 'string' || !SECRET_KEY.test(value) || value.length > 253 || value === '.' || value.startsWith('..')) {
    invalid(scope, prop, `${show(value)} must be a Secret key: at most 253 of [-._a-zA-Z0-9], not '.' and not starting with '..'`);
  }
  return value;
}

/** An http(s) URL, without its trailing slashes. @internal */
export function validateUrl(scope: Construct, prop: string, value: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) invalid(scope, prop, `'${value}' must be an http(s) URL`);
  return trimUrl(value);
}

/** `url` without its trailing slashes, as Grafana's `root_url` takes it; anything but a string is left for validateUrl to refuse. @internal */
export function trimUrl(url: string): string {
  return typeof url === 'string' ? url.replace(/\/+$/, '') : url;
}

/** A dashboard model from JSON text or an object: a JSON object with a non-empty `title`. @internal */
export function parseDashboard(scope: Construct, prop: string, json: unknown): Record<string, unknown> {
  let model: unknown = json;
  if (typeof json === 'string') {
    try {
      model = JSON.parse(json);
    } catch (e) {
      invalid(scope, prop, `is not JSON: ${(e as Error).message}`);
    }
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) {
    invalid(scope, prop, `must be a dashboard JSON object, got ${Array.isArray(model) ? 'an array' : show(model)}`);
  }
  const title = (model as Record<string, unknown>).title;
  if (typeof title !== 'string' || !title.trim()) {
    invalid(scope, prop, 'has no title: Grafana refuses to provision a dashboard without one');
  }
  return model as Record<string, unknown>;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
