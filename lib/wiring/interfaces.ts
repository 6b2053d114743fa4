import { IConstruct } from 'constructs';

/** A named container/Service port. */
export interface NamedPort {
  /** Port name, used by Services, probes, Ingress backends and NetworkPolicies. */
  readonly name: string;
  /** Port number. */
  readonly port: number;
  /**
   * @default 'TCP'
   */
  readonly protocol?: 'TCP' | 'UDP';
}

/**
 * Who a component is in the cluster: its object name, namespace and labels.
 *
 * The selector labels (`app.kubernetes.io/name` + `instance`) are public
 * contract: changing them makes Kubernetes recreate workloads, so they derive
 * only from the component kind and the `name` prop.
 */
export interface ComponentIdentity {
  /** Base name of the component's objects (Service, StatefulSet, …). */
  readonly name: string;
  /** Namespace the objects are synthesized into. */
  readonly namespace: string;
  /** Labels that select the component's pods. */
  readonly selectorLabels: Record<string, string>;
  /** All labels for objects and pod templates. */
  readonly labels: Record<string, string>;
}

/** Anything of this library that runs pods: used to derive NetworkPolicies. */
export interface IComponent extends IConstruct {
  /** Name, namespace and labels of the component. */
  readonly identity: ComponentIdentity;
}

/** A Thanos Store API (gRPC) that a Thanos Querier fans out to. */
export interface IStoreApi extends IComponent {
  /**
   * The address for `thanos query --endpoint`, e.g.
   * `dnssrv+_grpc._tcp.prometheus.monitoring.svc` for every pod of a headless Service.
   */
  readonly storeApiAddress: string;
  /** The gRPC port the Store API listens on. */
  readonly storeApiPort: NamedPort;
  /**
   * The external label that tells HA replicas of this store apart, which a
   * Querier de-duplicates on (Prometheus' `replica`).
   * @default none: the store has no replicas of the same data
   */
  readonly replicaLabel?: string;
}

/**
 * A Prometheus-compatible HTTP query API (`/api/v1/query`…): a Thanos
 * Querier, a Query Frontend or a Prometheus. Grafana datasources, the Query
 * Frontend and the Thanos Ruler refer to one by reference.
 */
export interface IQueryApi extends IComponent {
  /** The in-cluster base URL of the API, route prefix included: `http://querier.monitoring.svc:10902/thanos`. */
  readonly queryUrl: string;
  /** The port it is served on, for NetworkPolicies. */
  readonly queryPort: NamedPort;
  /** What it is, for a Grafana datasource's `prometheusType`: `Thanos` for Thanos components. */
  readonly queryApiFlavor: 'Prometheus' | 'Thanos';
}

/** An Alertmanager cluster that Prometheus sends alerts to. */
export interface IAlertmanagerTarget extends IComponent {
  /**
   * `host:port` of every replica: Prometheus must send each alert to every
   * replica, never to one load-balanced address, so the cluster deduplicates.
   */
  readonly alertmanagerAddresses: string[];
  /** HTTP path prefix the Alertmanager API is served under (`/` or `/alertmanager`). */
  readonly routePrefix: string;
  /** The HTTP API port. */
  readonly webPort: NamedPort;
}

/** A Pushgateway that Prometheus scrapes with `honor_labels: true`. */
export interface IPushgatewayTarget extends IComponent {
  /** `host:port` of the Pushgateway Service. */
  readonly pushgatewayAddress: string;
  /** HTTP path prefix of the Pushgateway (`/` or `/pushgateway`). */
  readonly routePrefix: string;
  /** The HTTP port. */
  readonly webPort: NamedPort;
}

/** A component whose HTTP UI/API an Ingress can expose. */
export interface IIngressTarget extends IComponent {
  /** The Service name the Ingress routes to. */
  readonly serviceName: string;
  /** The Service port the Ingress routes to. */
  readonly webPort: NamedPort;
  /** The path prefix the component serves under; the Ingress path must equal it. */
  readonly routePrefix: string;
  /** The path it takes behind a path-based Ingress when no `routePrefix` was set (`/prometheus`). */
  readonly conventionalPath: string;
  /**
   * Serve under `path` unless the user set a `routePrefix`; called by an
   * Ingress that routes the component by path, before synth.
   * @returns the prefix the component serves under
   */
  routeUnder(path: string): string;
  /**
   * Tells the component the public URL an Ingress serves it at, so its links
   * (UI, alert generator URLs, notifications) point there, unless the user
   * set an external URL explicitly.
   */
  exposedAt(url: string): void;
  /** The public URL: the explicit one, else the one an Ingress gave. @default none */
  readonly externalUrl?: string;
}
