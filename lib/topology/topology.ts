import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { IComponent, NamedPort } from '../wiring/interfaces';
import { renderDot } from './dot';
import { TopologyComponent, TopologyEdge, TopologyGroup, TopologyPeer, TopologyView } from './topology-model';
import { renderMermaid } from './mermaid';

/**
 * The topology of a Chart, read from the construct tree and the app's
 * {@link NetworkGraph}: the chart's components with their workloads,
 * Services and ports, and every connection of the wiring that starts or ends
 * at one of them. The peers of those connections are drawn too: components of
 * other charts, a namespace (the Ingress controller's), any pod in the cluster,
 * anywhere.
 *
 * The edges are the graph's connections merged per pair of nodes, which is
 * what the components' NetworkPolicies allow (and DNS, which every policy
 * allows besides and no diagram draws).
 *
 * Read it after the chart is complete (connections are recorded as the
 * components are wired), e.g. right before `app.synth()`.
 */
export class Topology implements TopologyView {
  /** The topology of `chart`. */
  public static of(chart: Chart): Topology {
    return new Topology(chart);
  }

  /** The Chart. */
  public readonly chart: Chart;
  /** The chart's components, in construct order. */
  public readonly components: TopologyComponent[];
  /** Components of other charts that the chart's components connect with, in the order the connections were made. */
  public readonly foreignComponents: TopologyComponent[];
  /** Peers that are no component, in the order the connections were made. */
  public readonly peers: TopologyPeer[];
  /** The allowed connections, one per ordered pair of nodes, in the order they were first made. */
  public readonly edges: TopologyEdge[];

  private constructor(chart: Chart) {
    this.chart = chart;
    const graph = NetworkGraph.of(chart);
    const wired = new Set(graph.connections.flatMap(c => [c.from.target, c.to.target]));
    // Components run pods or are wired (a MonitoringIngress has an identity for its labels, but neither).
    const own = chart.node.findAll().filter(isComponent)
      .filter(c => Chart.of(c) === chart && (wired.has(c) || workloadsOf(c).length > 0));
    const nodes = new Map<IConstruct | string, TopologyComponent | TopologyPeer>();
    this.components = own.map(c => {
      const node = describeComponent(c, false);
      nodes.set(c, node);
      return node;
    });
    this.foreignComponents = [];
    this.peers = [];
    const nodeOf = (peer: NetworkPeer): string => {
      const key = peer.target ?? peerId(peer);
      let node = nodes.get(key);
      if (!node) {
        if (peer.target) {
          const foreign = describeComponent(peer.target, true);
          this.foreignComponents.push(foreign);
          node = foreign;
        } else {
          const external = describePeer(peer);
          this.peers.push(external);
          node = external;
        }
        nodes.set(key, node);
      }
      return node.id;
    };

    const ownSet = new Set<IConstruct>(own);
    const edges = new Map<string, { from: string; to: string; ports?: NamedPort[] }>();
    for (const connection of graph.connections) {
      const touches = [connection.from.target, connection.to.target].some(t => t !== undefined && ownSet.has(t));
      if (!touches) continue;
      const from = nodeOf(connection.from);
      const to = nodeOf(connection.to);
      const key = JSON.stringify([from, to]);
      const edge = edges.get(key);
      const ports = connection.ports.length ? [...connection.ports] : undefined;
      if (!edge) edges.set(key, { from, to, ports });
      else if (edge.ports && ports) edge.ports.push(...ports.filter(p => !edge.ports!.some(q => samePort(p, q))));
      else edge.ports = undefined; // every port absorbs the others, as in the NetworkPolicy
    }
    this.edges = [...edges.values()].map(e => ({ from: e.from, to: e.to, ports: e.ports ?? [] }));
  }

  /** Every node: the chart's components, the foreign components, then the other peers. */
  public get nodes(): Array<TopologyComponent | TopologyPeer> {
    return [...this.components, ...this.foreignComponents, ...this.peers];
  }

  /** The components per Chart: the topology's chart first, then the foreign ones in order of appearance. */
  public get groups(): TopologyGroup[] {
    const groups = new Map<string, { chart: string; namespace?: string; foreign: boolean; components: string[] }>();
    groups.set(this.chart.node.path, { chart: this.chart.node.path, namespace: this.chart.namespace, foreign: false, components: [] });
    for (const c of [...this.components, ...this.foreignComponents]) {
      let group = groups.get(c.chart);
      if (!group) {
        group = { chart: c.chart, namespace: Chart.of(c.component).namespace, foreign: c.foreign, components: [] };
        groups.set(c.chart, group);
      }
      group.components.push(c.id);
    }
    return [...groups.values()];
  }

  /** The node of `id`. @throws if there is none */
  public node(id: string): TopologyComponent | TopologyPeer {
    const node = this.nodes.find(n => n.id === id);
    if (!node) throw new Error(`the topology of '${this.chart.node.path}' has no node '${id}'`);
    return node;
  }

  /** The topology as a Mermaid flowchart (`flowchart TB`), one subgraph per Chart. */
  public toMermaid(): string {
    return renderMermaid(this);
  }

  /**
   * The topology as a Graphviz DOT digraph: one cluster per Chart, external
   * peers as distinct shapes, the ports on the edges. Deterministic: the same
   * chart gives the same text, so a rendered SVG can be checked in.
   */
  public toDot(): string {
    return renderDot(this);
  }
}

/** The topology of `chart`: {@link Topology.of}. */
export function topology(chart: Chart): Topology {
  return Topology.of(chart);
}

/** `80/TCP`-style port key: ports are the same when number and protocol are. */
export function samePort(a: NamedPort, b: NamedPort): boolean {
  return a.port === b.port && (a.protocol ?? 'TCP') === (b.protocol ?? 'TCP');
}

function isComponent(c: IConstruct): c is IComponent {
  const identity = (c as Partial<IComponent>).identity;
  return identity !== undefined && typeof identity.name === 'string' && typeof identity.namespace === 'string'
    && typeof identity.selectorLabels === 'object';
}

/** The block of a CIDR peer (`NetworkPeer.cidr`). */
function cidrOf(peer: NetworkPeer): string | undefined {
  return (peer.kind as string) === 'cidr' ? (peer as { cidrBlock?: string }).cidrBlock : undefined;
}

function peerId(peer: NetworkPeer): string {
  const cidr = cidrOf(peer);
  if (cidr !== undefined) return `cidr:${cidr}`;
  return peer.kind === 'namespace' ? `namespace:${peer.namespaceName}` : peer.kind;
}

function describePeer(peer: NetworkPeer): TopologyPeer {
  const cidr = cidrOf(peer);
  if (cidr !== undefined) return { id: peerId(peer), kind: 'cidr', cidr, label: cidr };
  switch (peer.kind) {
    case 'namespace':
      return { id: peerId(peer), kind: 'namespace', namespace: peer.namespaceName, label: `namespace ${peer.namespaceName}` };
    case 'cluster':
      return { id: 'cluster', kind: 'cluster', label: 'any pod in the cluster' };
    case 'anywhere':
      return { id: 'anywhere', kind: 'anywhere', label: 'anywhere' };
    default:
      throw new Error(`a topology cannot draw a peer of kind '${peer.kind}'`);
  }
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function workloadsOf(component: IComponent): ApiObject[] {
  return component.node.findAll().filter(ApiObject.isApiObject).filter(o => WORKLOAD_KINDS.includes(o.kind));
}

function describeComponent(component: IComponent, foreign: boolean): TopologyComponent {
  const objects = component.node.findAll().filter(ApiObject.isApiObject);
  // The objects as they synthesize (what a reader of the YAML sees), only the fields drawn.
  type Spec = { clusterIP?: string; replicas?: number; ports?: Array<{ name?: string; port: number; protocol?: 'TCP' | 'UDP' }> };
  const spec = (o: ApiObject): Spec => (o.toJson() as { spec?: Spec }).spec ?? {};
  const services = objects.filter(o => o.kind === 'Service').map(o => {
    const { clusterIP, ports = [] } = spec(o);
    return {
      name: o.name,
      headless: clusterIP === 'None',
      ports: ports.map(p => ({ name: p.name ?? String(p.port), port: p.port, ...p.protocol && p.protocol !== 'TCP' ? { protocol: p.protocol } : {} })),
    };
  });
  const workloads = workloadsOf(component).map(o => {
    const replicas = spec(o).replicas;
    return { kind: o.kind, name: o.name, ...typeof replicas === 'number' ? { replicas } : {} };
  });
  const policy = (component as { networkPolicy?: unknown }).networkPolicy;
  return {
    id: component.node.path,
    kind: 'component',
    label: component.identity.name,
    component,
    name: component.identity.name,
    namespace: component.identity.namespace,
    type: component.constructor.name,
    chart: Chart.of(component).node.path,
    foreign,
    workloads,
    services,
    networkPolicy: 'networkPolicy' in component ? policy !== undefined : objects.some(o => o.kind === 'NetworkPolicy'),
  };
}

export type {
  TopologyComponent, TopologyEdge, TopologyGroup, TopologyNode, TopologyNodeKind, TopologyPeer, TopologyPeerKind, TopologyService, TopologyWorkload,
} from './topology-model';
