import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { PART_OF } from '../private/identity';
import { Connection, NetworkGraph, NetworkPeer } from './network-graph';
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

function isComponent(p: NetworkPeer, component: IComponent): boolean {
  return p.kind === 'component' && p.target === component;
}

/** Drops rules that are identical to an earlier one (two wires that imply the same flow). */
function dedupe<T>(rules: T[]): T[] {
  const seen = new Set<string>();
  return rules.filter(r => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
    const connections: Connection[] = graph.connections;
    const ingress = connections.filter(c => isComponent(c.to, component)).map(c => ({
      from: peer(c.from, namespace), ports: policyPorts(c.ports),
    }));
    const egress = connections.filter(c => isComponent(c.from, component)).map(c => ({
      to: peer(c.to, namespace), ports: policyPorts(c.ports),
    }));
    return { ingress: dedupe(ingress), egress: [{ ports: DNS_PORTS }, ...dedupe(egress)] };
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
