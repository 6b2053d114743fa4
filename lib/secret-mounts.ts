import { IConstruct } from 'constructs';
import * as k8s from '../imports/k8s';
import { invalid } from './errors';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Secrets mounted read-only under `<baseDir>/<secret name>/`, so configuration
 * refers to credentials through `*_file` fields and never holds them itself.
 */
export class SecretMounts {
  constructor(private readonly scope: IConstruct, private readonly prop: string, public readonly baseDir: string, public readonly secretNames: string[] = []) {
    const seen = new Set<string>();
    secretNames.forEach((name, i) => {
      if (!SUBDOMAIN.test(name) || name.length > 253) invalid(scope, `${prop}[${i}]`, `'${name}' is not a valid Secret name`);
      if (seen.has(name)) invalid(scope, `${prop}[${i}]`, `Secret '${name}' is listed twice`);
      seen.add(name);
    });
  }

  /** Path of `key` of Secret `secretName` inside the container. */
  public static path(baseDir: string, secretName: string, key: string): string {
    return `${baseDir}/${secretName}/${key}`;
  }

  public get volumes(): k8s.Volume[] {
    return this.secretNames.map((name, i) => ({ name: `secret-${i}`, secret: { secretName: name } }));
  }

  public get mounts(): k8s.VolumeMount[] {
    return this.secretNames.map((name, i) => ({ name: `secret-${i}`, mountPath: `${this.baseDir}/${name}`, readOnly: true }));
  }

  /**
   * Every `*_file` value of the rendered configuration that points into the
   * secrets folder must name a mounted Secret: a typo would otherwise only show
   * as a failed reload in the cluster.
   */
  public checkReferences(rendered: unknown, configProp: string): void {
    const visit = (value: unknown, key: string): void => {
      if (typeof value === 'string' && key.endsWith('_file') && value.startsWith(`${this.baseDir}/`)) {
        const secret = value.slice(this.baseDir.length + 1).split('/')[0];
        if (!this.secretNames.includes(secret)) {
          invalid(this.scope, configProp, `${key} '${value}' is in Secret '${secret}', which is not in '${this.prop}'`);
        }
      } else if (Array.isArray(value)) {
        value.forEach(v => visit(v, key));
      } else if (value && typeof value === 'object') {
        Object.entries(value).forEach(([k, v]) => visit(v, k));
      }
    };
    visit(rendered, '');
  }
}
