import { App, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IComponent } from '../../lib';
import { Topology } from '../../lib/topology/topology';
import { Manifest } from '../support/synth';

/**
 * A flow the NetworkPolicies allow, as `from -> to port/protocol` (`*` for
 * every port). Components are named by construct path; the other peers are
 * `namespace:<name>`, `cluster` (any pod in the cluster), `cidr:<block>` and `anywhere`.
 */
export type Flow = string;

const DNS_RULE = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };

/** The components of an app: what a podSelector of a policy can select. */
function componentsOf(app: App): IComponent[] {
  return app.node.findAll().filter((c: IConstruct): c is IComponent => {
    const identity = (c as Partial<IComponent>).identity;
    return identity !== undefined && typeof identity.selectorLabels === 'object';
  });
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

/**
 * What the NetworkPolicies of every chart of `app` allow, read back from the
 * synthesized objects alone: each component's policy (found by its pod
 * selector) gives, per ingress rule, flows from the rule's peers to it, and
 * per egress rule flows from it to the rule's peers. A peer resolves back:
 * a podSelector (in the policy's namespace, or that of its namespaceSelector)
 * to the one component with those selector labels there, an ipBlock to
 * `cidr:<block>`, a lone
 * namespaceSelector by name to `namespace:<name>`, an empty one to `cluster`,
 * no peer at all to `anywhere`.
 *
 * DNS: every policy's first egress rule is UDP and TCP 53 to anywhere, which
 * the wiring graph does not record and the diagram does not draw; it is
 * checked to be there, exactly, then left out.
 */
export function policyFlows(app: App): { ingress: Set<Flow>; egress: Set<Flow>; isolated: Set<string> } {
  const components = componentsOf(app);
  const ingress = new Set<Flow>();
  const egress = new Set<Flow>();
  const isolated = new Set<string>();

  // Charts of one app may stand for several clusters, with the same namespace and names in each: a
  // selector means the pods of the policy's own chart first, else the one component anywhere in the app.
  const componentAt = (chart: Chart, namespace: string, labels: Record<string, string>): string => {
    const matches = components.filter(c => c.identity.namespace === namespace && sameLabels(c.identity.selectorLabels, labels));
    const own = matches.filter(c => Chart.of(c) === chart);
    const hits = own.length ? own : matches;
    if (hits.length !== 1) throw new Error(`${hits.length} components match pods ${JSON.stringify(labels)} in namespace ${namespace}`);
    return hits[0].node.path;
  };
  const peerOf = (chart: Chart, p: any, ownNamespace: string): string => {
    const namespace: string | undefined = p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    if (p.podSelector) return componentAt(chart, namespace ?? ownNamespace, p.podSelector.matchLabels);
    if (p.ipBlock) return `cidr:${p.ipBlock.cidr}`;
    if (namespace) return `namespace:${namespace}`;
    if (p.namespaceSelector && Object.keys(p.namespaceSelector).length === 0) return 'cluster';
    throw new Error(`unexpected peer ${JSON.stringify(p)}`);
  };
  const portsOf = (rule: any): string[] => rule.ports ? rule.ports.map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`) : ['*'];

  for (const chart of app.node.findAll().filter((c): c is Chart => c instanceof Chart)) {
    for (const policy of (Testing.synth(chart) as Manifest[]).filter(m => m.kind === 'NetworkPolicy')) {
      const namespace = policy.metadata.namespace!;
      const selector = policy.spec.podSelector.matchLabels;
      if (selector['app.kubernetes.io/part-of'] && Object.keys(selector).length === 1) {
        // The stack's default deny: it selects every pod of the stack and allows nothing.
        expect(policy.spec.ingress).toBeUndefined();
        expect(policy.spec.egress).toBeUndefined();
        continue;
      }
      const self = componentAt(chart, namespace, selector);
      isolated.add(self);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      const [dns, ...rules] = policy.spec.egress;
      expect(dns).toEqual(DNS_RULE);
      for (const rule of policy.spec.ingress ?? []) {
        const peers: string[] = rule.from ? rule.from.map((p: any) => peerOf(chart, p, namespace)) : ['anywhere'];
        for (const peer of peers) for (const port of portsOf(rule)) ingress.add(`${peer} -> ${self} ${port}`);
      }
      for (const rule of rules) {
        const peers: string[] = rule.to ? rule.to.map((p: any) => peerOf(chart, p, namespace)) : ['anywhere'];
        for (const peer of peers) for (const port of portsOf(rule)) egress.add(`${self} -> ${peer} ${port}`);
      }
    }
  }
  return { ingress, egress, isolated };
}

/** The flows of a topology's edges, named as {@link policyFlows} names them. */
export function topologyFlows(topology: Topology): Set<Flow> {
  const name = (id: string): string => {
    const node = topology.node(id);
    switch (node.kind) {
      case 'component': return node.component.node.path;
      case 'namespace': return `namespace:${node.namespace}`;
      case 'cidr': return `cidr:${node.cidr}`;
      default: return node.kind;
    }
  };
  const flows = new Set<Flow>();
  for (const edge of topology.edges) {
    const ports = edge.ports.length ? edge.ports.map(p => `${p.port}/${p.protocol ?? 'TCP'}`) : ['*'];
    for (const port of ports) flows.add(`${name(edge.from)} -> ${name(edge.to)} ${port}`);
  }
  return flows;
}

/** Whether a flow starts or ends at one of `components` (construct paths). */
export function touches(flow: Flow, components: Set<string>): boolean {
  const [from, rest] = flow.split(' -> ');
  return components.has(from) || components.has(rest.split(' ')[0]);
}
