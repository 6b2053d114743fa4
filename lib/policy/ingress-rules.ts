import { list, ofKind } from './manifests';
import { KubeManifest, PolicyContext, PolicyRule } from './policy-rule';
import { objectRule } from './rule-builders';

/*
 * Ingress: TLS on every host; admin endpoints routed nowhere but to a blackhole
 * Service.
 */

/** Endpoints that change or stop a server; an Ingress must not route them explicitly. */
export const ADMIN_ENDPOINTS: readonly string[] = ['/-/reload', '/-/quit', '/api/v1/admin'];

function tlsCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  // `*.example.com` covers exactly one more label, as certificates do.
  return tlsHost.startsWith('*.') && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -(tlsHost.length - 1)).includes('.');
}

function backendName(backend: any): string {
  return backend?.service?.name ? `Service ${backend.service.name}` : 'a non-Service backend';
}

/**
 * Whether an Ingress backend can never reach a pod: a Service of the manifests
 * in the Ingress's namespace with no selector, not ExternalName, and no
 * hand-written Endpoints or EndpointSlices.
 */
function isBlackhole(ctx: PolicyContext, ing: KubeManifest, backend: any): boolean {
  const name = backend?.service?.name;
  const namespace = ing.metadata?.namespace;
  const sameNamespace = (m: KubeManifest) => m.metadata?.namespace === namespace;
  const service = ofKind(ctx, 'Service').find(s => s.metadata?.name === name && sameNamespace(s));
  if (!name || !service || service.spec?.type === 'ExternalName' || Object.keys(service.spec?.selector ?? {}).length) return false;
  const endpoints = ofKind(ctx, 'Endpoints', 'EndpointSlice').filter(e => sameNamespace(e)
    && (e.kind === 'Endpoints' ? e.metadata?.name === name : e.metadata?.labels?.['kubernetes.io/service-name'] === name));
  return !endpoints.length;
}

/**
 * The Ingress rules, in the order `POLICY_RULES` lists them.
 * @internal
 */
export const ingressRules: readonly PolicyRule[] = [
  objectRule('ingress-tls',
    'every Ingress host is covered by spec.tls, and no rule serves all hosts; only the allowInsecureIngress option (never an annotation) waives it',
    ['Ingress'],
    (ing, ctx) => {
      if (ctx.options.allowInsecureIngress) return [];
      const tlsHosts = list(ing.spec?.tls).flatMap(t => list<string>(t?.hosts));
      const problems: string[] = [];
      for (const r of list(ing.spec?.rules)) {
        if (!r?.host) problems.push('a rule has no host, so it serves every host name, including over plain HTTP: set its host and list it in tls');
        else if (!tlsHosts.some(t => tlsCovers(t, r.host))) problems.push(`host ${r.host} is not in spec.tls: add it with a certificate Secret`);
      }
      if (ing.spec?.defaultBackend && !list(ing.spec?.rules).length && !tlsHosts.length) {
        problems.push('the default backend is served without TLS: add rules with hosts and tls');
      }
      return problems;
    }),
  objectRule('ingress-no-admin-paths',
    `no Ingress path containing an admin endpoint (${ADMIN_ENDPOINTS.join(', ')}) routes to anything but a blackhole: `
    + 'a Service of the manifests without selector or Endpoints, which the controller answers with 503',
    ['Ingress'],
    (ing, ctx) => list(ing.spec?.rules).flatMap(r => list(r?.http?.paths)
      .filter(p => typeof p?.path === 'string' && ADMIN_ENDPOINTS.some(e => p.path.includes(e)) && !isBlackhole(ctx, ing, p.backend))
      .map(p => `path ${p.path} on ${r.host ?? 'every host'} routes an admin endpoint to ${backendName(p.backend)}: `
        + 'remove the path, or send it to a Service without selector or Endpoints')),
  ),
];
