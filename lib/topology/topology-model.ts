import { Chart } from 'cdk8s';
import { IComponent, NamedPort } from '../wiring/interfaces';

/** A Service of a component, with the ports it exposes. */
export interface TopologyService {
  /** The Service's name. */
  readonly name: string;
  /** Whether it is headless (`clusterIP: None`): per-pod DNS names, no virtual IP. */
  readonly headless: boolean;
  /** Its ports, by name and number. */
  readonly ports: NamedPort[];
}

/** A Deployment, StatefulSet or DaemonSet that runs a component's pods. */
export interface TopologyWorkload {
  /** `Deployment`, `StatefulSet` or `DaemonSet`. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** `spec.replicas`. @default none: the controller's default (a DaemonSet has none) */
  readonly replicas?: number;
}

/** The kinds of node of a topology: a component of this library, or a peer that is no component. */
export type TopologyNodeKind = 'component' | TopologyPeerKind;

/** Peers that are no component: any pod of a namespace, any pod of the cluster, the addresses of a CIDR, any address. */
export type TopologyPeerKind = 'namespace' | 'cluster' | 'cidr' | 'anywhere';

/** A node of a topology: a component (of the chart or of another one), or a peer that is no component. */
export interface TopologyNode {
  /** Unique in its topology: the construct path of a component, `namespace:<name>`, `cluster`, `cidr:<block>` or `anywhere`. */
  readonly id: string;
  readonly kind: TopologyNodeKind;
  /** What a diagram calls it: the component's name, `namespace <name>`, `any pod in the cluster`, the CIDR, `anywhere`. */
  readonly label: string;
}

/** A peer that is no component: any pod of a namespace, any pod of the cluster, the addresses of a CIDR, or any address. */
export interface TopologyPeer extends TopologyNode {
  readonly kind: TopologyPeerKind;
  /** The namespace of a `namespace` peer. */
  readonly namespace?: string;
  /** The block of a `cidr` peer, e.g. `198.51.100.0/24`. */
  readonly cidr?: string;
}

/** A component on a topology, with what runs it and the Services it is reached by. */
export interface TopologyComponent extends TopologyNode {
  readonly kind: 'component';
  /** The component. */
  readonly component: IComponent;
  /** Its name (`identity.name`). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** What it is: the construct's class (`Prometheus`, `ThanosQuerier`, …). */
  readonly type: string;
  /** The construct path of the Chart it belongs to. */
  readonly chart: string;
  /** Whether it belongs to another chart than the topology's (a peer of one of the chart's components). */
  readonly foreign: boolean;
  /** The workloads that run its pods. */
  readonly workloads: TopologyWorkload[];
  /** Its Services. */
  readonly services: TopologyService[];
  /** Whether a NetworkPolicy isolates its pods (false with `networkPolicy: false`: nothing restricts them). */
  readonly networkPolicy: boolean;
}

/** An allowed connection: pods of `from` open connections to `to` on `ports`. */
export interface TopologyEdge {
  /** The id of the node that opens the connections. */
  readonly from: string;
  /** The id of the node that accepts them. */
  readonly to: string;
  /**
   * The ports, in the order the wiring named them: the union of every
   * connection between the two.
   * Empty for every port.
   */
  readonly ports: NamedPort[];
}

/** A group of nodes on a diagram: the components of one Chart. */
export interface TopologyGroup {
  /** The Chart's construct path. */
  readonly chart: string;
  /** The Chart's namespace. */
  readonly namespace?: string;
  /** Whether it is another chart than the topology's. */
  readonly foreign: boolean;
  /** The ids of its components, in construct order. */
  readonly components: string[];
}

/** What the Mermaid and DOT renderers read of a {@link Topology}. @internal */
export interface TopologyView {
  readonly chart: Chart;
  readonly components: TopologyComponent[];
  readonly foreignComponents: TopologyComponent[];
  readonly peers: TopologyPeer[];
  readonly edges: TopologyEdge[];
  readonly nodes: Array<TopologyComponent | TopologyPeer>;
  readonly groups: TopologyGroup[];
}
