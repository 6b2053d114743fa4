import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { PART_OF } from '../private/identity';
import { NetworkGraph, NetworkPeer } from './network-graph';
import { IComponent, NamedPort } from './interfaces';

const DNS_PORTS: k8s.NetworkPolicyPort[] = [
  { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
  { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
];

function policyPorts(ports: NamedPort[]): k8s.NetworkPolicyPort[] | undefined {
  if (!ports.length) return undefined;
  // Numbers, not names: a name in an egress rule resolves against the *destination* pod's ports,
  // which outside this library may be named differently.
  return ports.map(p => ({ protocol: p.protocol ?? 'TCP', port: k8s.IntOrString.fromNumber(p.port) }));
}

function peer(p: NetworkPeer, ownNamespace: string): k8s.NetworkPolicyPeer[] | undefined {
  switch (p.kind) {
    case 'anywhere':
      return undefined; // no `from`/`to`: any source or destination
    case 'cluster':
      return [{ namespaceSelector: {} }];
    case 'cidr':
      return [{ ipBlock: { cidr: p.cidrBlock! } }];
    case 'namespace':
      return [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.namespaceName! } } }];
    case 'component': {
      const { namespace, selectorLabels } = p.target!.identity;
      return [namespace === ownNamespace
        ? { podSelector: { matchLabels: selectorLabels } }
        : { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: { matchLabels: selectorLabels } }];
    }
  }
}

/**
 * Merges the rules of one peer into one rule with the union of their ports
 * (a Prometheus that both scrapes an Alertmanager and sends it alerts is one
 * peer with its ports), in the order the peers first appear; a rule for all
 * ports absorbs the others of its peer.
 */
function mergeByPeer(connections: Connection[], ownNamespace: string): Array<{ peers?: k8s.NetworkPolicyPeer[]; ports?: k8s.NetworkPolicyPort[] }> {
  const merged = new Map<string, { peers?: k8s.NetworkPolicyPeer[]; ports?: NamedPort[] }>();
  for (const { peer: p, ports } of connections) {
    const peers = peer(p, ownNamespace);
    const key = JSON.stringify(peers ?? null);
    const rule = merged.get(key);
    if (!rule) merged.set(key, { peers, ports: ports.length ? [...ports] : undefined });
    else if (rule.ports && ports.length) rule.ports.push(...ports.filter(q => !rule.ports!.some(r => r.port === q.port && (r.protocol ?? 'TCP') === (q.protocol ?? 'TCP'))));
    else rule.ports = undefined;
  }
  return [...merged.values()].map(r => ({ peers: r.peers, ports: r.ports ? policyPorts(r.ports) : undefined }));
}

/** One side of the connections of a component: the peer across, and the ports. */
interface Connection {
  readonly peer: NetworkPeer;
  readonly ports: NamedPort[];
}

/**
 * The NetworkPolicy of one component: its pods are isolated for ingress and
 * egress, then allowed exactly the connections of the {@link NetworkGraph}
 * that start or end at them, plus DNS.
 * @internal
 */
export function componentNetworkPolicy(scope: Construct, component: IComponent): k8s.KubeNetworkPolicy {
  const { name, namespace, labels, selectorLabels } = component.identity;
  const graph = NetworkGraph.of(scope);
  // Computed at synth time, when every connection of the app is known; again only if the graph grew since.
  let computed: { version: number; ingress: k8s.NetworkPolicyIngressRule[]; egress: k8s.NetworkPolicyEgressRule[] } | undefined;
  const rules = () => {
    if (computed?.version !== graph.version) computed = { version: graph.version, ...compute() };
    return computed;
  };
  const compute = () => {
    const links = graph.connectionsOf(component);
    const ingress = mergeByPeer(links.ingress.map(c => ({ peer: c.from, ports: c.ports })), namespace).map(r => ({ from: r.peers, ports: r.ports }));
    const egress = mergeByPeer(links.egress.map(c => ({ peer: c.to, ports: c.ports })), namespace).map(r => ({ to: r.peers, ports: r.ports }));
    return { ingress, egress: [{ ports: DNS_PORTS }, ...egress] };
  };
  return new k8s.KubeNetworkPolicy(scope, 'network-policy', {
    metadata: { name, labels },
    spec: {
      podSelector: { matchLabels: selectorLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: Lazy.any({ produce: () => rules().ingress }),
      egress: Lazy.any({ produce: () => rules().egress }),
    },
  });
}

/**
 * Denies all traffic to and from the stack's pods (label
 * `app.kubernetes.io/part-of`) that no component policy allows. Components
 * isolate their own pods already; this also covers pods added beside them.
 */
export class StackDefaultDenyPolicy extends Construct {
  public readonly policy: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.policy = new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: { name: 'default-deny', labels: { 'app.kubernetes.io/part-of': PART_OF } },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/part-of': PART_OF } },
        policyTypes: ['Ingress', 'Egress'],
      },
    });
    this.node.defaultChild = this.policy;
  }
}
