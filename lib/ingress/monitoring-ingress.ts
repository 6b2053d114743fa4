import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { invalid, validateDnsLabel } from '../errors';
import { identify } from '../private/identity';
import { joinPath } from '../private/probes';
import { IngressAuth } from './ingress-auth';
import { declareIngressNeeds } from '../prerequisites/needs';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { ComponentIdentity, IIngressTarget } from '../wiring/interfaces';

/** Where a component is exposed. */
export interface IngressRouteOptions {
  /**
   * Host name of the route.
   * @default the Ingress's `host`
   */
  readonly host?: string;
}

/** Props of {@link MonitoringIngress}. */
export interface MonitoringIngressProps {
  /**
   * Name of the Ingress object.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Host name shared by the path-based routes; each component is served
   * under its `routePrefix`. Routes given their own `host` are host-based.
   * @default none: every route needs its own host
   */
  readonly host?: string;
  /**
   * Secret (type kubernetes.io/tls) with the certificate for every host.
   * Required unless `allowInsecureHttp` is set.
   * @default none
   */
  readonly tlsSecretName?: string;
  /**
   * Serve over plain HTTP, without TLS. Monitoring UIs show internal names and
   * alert contents; only for local clusters.
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
  /** @default 'nginx' */
  readonly ingressClassName?: string;
  /**
   * Namespace the Ingress controller runs in; its pods may reach the exposed ports.
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
  /**
   * Authentication in front of every route (ingress-nginx annotations).
   * @default none: put the UIs behind a VPN or add auth here
   */
  readonly auth?: IngressAuth;
  /** Extra annotations, e.g. for cert-manager. @default none */
  readonly annotations?: Record<string, string>;
  /** Prometheus to expose. @default not exposed */
  readonly prometheus?: IIngressTarget;
  /** Thanos Querier to expose, or the ThanosQueryFrontend in front of it (it serves under the querier's prefix). @default not exposed */
  readonly querier?: IIngressTarget;
  /** Alertmanager to expose. @default not exposed */
  readonly alertmanager?: IIngressTarget;
  /**
   * Pushgateway to expose. Its API accepts writes and deletes of every
   * group; expose it only where batch jobs outside the cluster must push.
   * @default not exposed
   */
  readonly pushgateway?: IIngressTarget;
  /** Grafana to expose (under `/grafana` on the shared host unless it has a `routePrefix`). @default not exposed */
  readonly grafana?: IIngressTarget;
}

interface Route {
  readonly target: IIngressTarget;
  readonly host: string;
  readonly path: string;
  /** The prop or method that added it, for errors. */
  readonly prop: string;
}

/**
 * Endpoints that change or stop a component. They are never routed: below
 * each route prefix they go to a Service without endpoints, which
 * ingress-nginx answers with 503, so a more specific path wins over the
 * component's prefix route.
 * @internal
 */
export const BLOCKED_PATHS: ReadonlyArray<{ path: string; pathType: 'Exact' | 'Prefix' }> = [
  { path: '/-/reload', pathType: 'Exact' },
  { path: '/-/quit', pathType: 'Exact' },
  { path: '/api/v1/admin', pathType: 'Prefix' },
];

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * One Ingress exposing the stack's UIs and APIs, by path on one host or by
 * host, with TLS. Service names, ports and paths come from the components.
 */
export class MonitoringIngress extends Construct {
  public readonly identity: ComponentIdentity;
  public readonly ingress: k8s.KubeIngress;
  /** The Service blocked admin paths are sent to. */
  public readonly blackhole: k8s.KubeService;
  private readonly routes: Route[] = [];
  private readonly props: MonitoringIngressProps;

  constructor(scope: Construct, id: string, props: MonitoringIngressProps = {}) {
    super(scope, id);
    this.props = props;
    this.identity = identify(this, 'monitoring-ingress', 'ingress', props.name);
    if (props.host !== undefined) this.validateHost('host', props.host);
    if (props.tlsSecretName !== undefined) validateDnsLabel(this, 'tlsSecretName', props.tlsSecretName, 253);
    if (!props.tlsSecretName && !props.allowInsecureHttp) {
      invalid(this, 'tlsSecretName', 'TLS is required: name a kubernetes.io/tls Secret, or set allowInsecureHttp: true explicitly');
    }
    if (props.tlsSecretName && props.allowInsecureHttp) {
      invalid(this, 'allowInsecureHttp', 'contradicts tlsSecretName; set one of them');
    }
    for (const key of ['prometheus', 'querier', 'alertmanager', 'pushgateway', 'grafana'] as const) {
      const target = props[key];
      if (target) this.addRoute(target, {}, key);
    }
    this.node.addValidation({
      validate: () => this.routes.length ? [] : [`${this.node.path}: invalid 'routes': the Ingress exposes nothing; pass a component or call addRoute()`],
    });
    // Every clash at once, when all routes are known.
    this.node.addValidation({ validate: () => this.clashes() });

    // No selector and no Endpoints: a backend that always answers 503.
    this.blackhole = new k8s.KubeService(this, 'blocked-paths', {
      metadata: { name: `${this.identity.name}-blocked`, labels: this.identity.labels },
      spec: { ports: [{ name: 'blocked', port: 80 }] },
    });
    this.ingress = new k8s.KubeIngress(this, 'ingress', {
      metadata: {
        name: this.identity.name,
        labels: this.identity.labels,
        annotations: { ...props.auth?.annotations, ...props.annotations },
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
    this.node.defaultChild = this.ingress;
    declareIngressNeeds(this, props);
  }

  /**
   * Exposes `target` under its route prefix, on `options.host` or the Ingress's
   * host. On the Ingress's shared host, a target whose `routePrefix` was not
   * set serves under its conventional path (`/prometheus`, `/thanos`, …).
   * Two routes on one host and path fail synth, every clash named.
   * @throws if the target lives in another namespace, or no host is known
   */
  public addRoute(target: IIngressTarget, options: IngressRouteOptions = {}, prop = 'routes'): void {
    const host = options.host ?? this.props.host;
    if (!host) invalid(this, `${prop}.host`, `no host for '${target.node.path}': set the Ingress's host or the route's host`);
    if (options.host !== undefined) this.validateHost(`${prop}.host`, options.host);
    if (target.identity.namespace !== this.identity.namespace) {
      invalid(this, prop, `'${target.node.path}' is in namespace '${target.identity.namespace}', `
        + `but an Ingress can only route to Services in its own namespace '${this.identity.namespace}'`);
    }
    // On the shared host a component without a routePrefix takes its conventional path, and serves under it.
    const path = options.host === undefined ? target.routeUnder(target.conventionalPath) : target.routePrefix;
    this.routes.push({ target, host, path, prop });
    NetworkGraph.of(this).connect(NetworkPeer.namespace(this.props.controllerNamespace ?? 'ingress-nginx'), NetworkPeer.component(target), [target.webPort]);
    const scheme = this.props.allowInsecureHttp ? 'http' : 'https';
    target.exposedAt(`${scheme}://${host}${path === '/' ? '' : path}`);
  }

  /** One message per host and path that more than one component wants. */
  private clashes(): string[] {
    const byPlace = new Map<string, Route[]>();
    for (const route of this.routes) {
      const place = `${route.host}${route.path}`;
      byPlace.set(place, [...byPlace.get(place) ?? [], route]);
    }
    return [...byPlace].filter(([, routes]) => routes.length > 1).map(([place, routes]) =>
      `${this.node.path}: invalid '${routes[1].prop}': ${routes.map(r => `'${r.target.node.path}'`).join(' and ')} all want ${place}; `
      + 'give them distinct routePrefixes or hosts of their own');
  }

  /** The hosts this Ingress serves. */
  public get hosts(): string[] {
    return [...new Set(this.routes.map(r => r.host))];
  }

  private renderSpec(): k8s.IngressSpec {
    return {
      ingressClassName: this.props.ingressClassName ?? 'nginx',
      tls: this.props.tlsSecretName ? [{ hosts: this.hosts, secretName: this.props.tlsSecretName }] : undefined,
      rules: this.hosts.map(host => ({
        host,
        http: {
          paths: this.routes.filter(r => r.host === host)
            // Longest prefix first, as a reader expects; controllers match by length anyway.
            .sort((a, b) => b.path.length - a.path.length)
            .flatMap(r => [
              ...BLOCKED_PATHS.map(b => ({
                path: joinPath(r.path, b.path),
                pathType: b.pathType,
                backend: { service: { name: this.blackhole.name, port: { name: 'blocked' } } },
              })),
              {
                path: r.path,
                pathType: 'Prefix',
                backend: { service: { name: r.target.serviceName, port: { name: r.target.webPort.name } } },
              },
            ]),
        },
      })),
    };
  }

  private validateHost(prop: string, host: string): void {
    if (!HOST.test(host) || host.length > 253) invalid(this, prop, `'${host}' is not a valid DNS host name`);
  }
}
