import { InvalidValueError } from '../errors';

/**
 * Authentication in front of the exposed UIs, as ingress-nginx annotations.
 * The UIs have no login of their own: without this, anyone who reaches the
 * host can query every metric and silence every alert.
 */
export class IngressAuth {
  /**
   * HTTP basic auth from a Secret with an htpasswd file in key `auth`
   * (`htpasswd -c auth admin && kubectl create secret generic <name> --from-file=auth`).
   */
  public static basic(secretName: string, realm = 'Monitoring'): IngressAuth {
    return new IngressAuth({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': secretName,
      'nginx.ingress.kubernetes.io/auth-realm': realm,
    });
  }

  /**
   * An oauth2-proxy (or compatible) external auth service, e.g.
   * `https://auth.example.com/oauth2`: nginx asks `<url>/auth` for every
   * request and sends unauthenticated users to `<url>/start`.
   */
  public static oauth2Proxy(url: string): IngressAuth {
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new InvalidValueError('IngressAuth.oauth2Proxy', 'url', `'${url}' must be an http(s) URL`);
    const base = url.replace(/\/+$/, '');
    return new IngressAuth({
      'nginx.ingress.kubernetes.io/auth-url': `${base}/auth`,
      'nginx.ingress.kubernetes.io/auth-signin': `${base}/start?rd=$scheme://$host$escaped_request_uri`,
      'nginx.ingress.kubernetes.io/auth-response-headers': 'X-Auth-Request-User,X-Auth-Request-Email',
    });
  }

  private constructor(public readonly annotations: Record<string, string>) {}
}
