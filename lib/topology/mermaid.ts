import type { TopologyComponent, TopologyPeer, TopologyView } from './topology-model';
import { CAPTION, edgeLines, groupLabel, kindLine, serviceLines } from './labels';

/** Text inside a Mermaid `"…"` label: quotes and markup as entities. */
function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '#quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Mermaid ids are words: the node id with every other character as `_`, numbered when two collide. */
function mermaidIds(ids: string[]): Map<string, string> {
  const used = new Set<string>();
  const result = new Map<string, string>();
  for (const id of ids) {
    const base = id.replace(/[^A-Za-z0-9]/g, '_');
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    result.set(id, candidate);
  }
  return result;
}

function componentNode(id: string, c: TopologyComponent): string {
  const lines = [`<b>${text(c.name)}</b>`, text(kindLine(c)), ...serviceLines(c).map(text)];
  if (!c.networkPolicy) lines.push('no NetworkPolicy: its pods are not isolated');
  return `${id}["${lines.join('<br/>')}"]`;
}

function peerNode(id: string, p: TopologyPeer): string {
  switch (p.kind) {
    case 'namespace':
      return `${id}[/"${text(p.label)}<br/>(any pod in it)"/]`;
    case 'cluster':
      return `${id}(["${text(p.label)}"])`;
    case 'cidr':
      return `${id}>"${text(p.label)}<br/>(IP block)"]`;
    default:
      return `${id}{{"${text(p.label)}<br/>(in or outside the cluster)"}}`;
  }
}

/** The Mermaid flowchart of a topology. */
export function renderMermaid(topology: TopologyView): string {
  const nodes = new Map(topology.nodes.map(n => [n.id, n]));
  const groups = topology.groups;
  const ids = mermaidIds([...groups.map(g => `chart ${g.chart}`), ...topology.nodes.map(n => n.id)]);
  const lines = ['flowchart TB', ...CAPTION.map(line => `  %% ${line}`)];
  for (const group of groups) {
    lines.push(`  subgraph ${ids.get(`chart ${group.chart}`)}["${text(groupLabel(group))}"]`);
    for (const id of group.components) lines.push(`    ${componentNode(ids.get(id)!, nodes.get(id) as TopologyComponent)}`);
    lines.push('  end');
  }
  for (const peer of topology.peers) lines.push(`  ${peerNode(ids.get(peer.id)!, peer)}`);
  for (const edge of topology.edges) {
    const arrow = edge.ports.length ? '-->' : '-.->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|"${edgeLines(edge).map(text).join('<br/>')}"| ${ids.get(edge.to)}`);
  }
  const foreign = [...topology.foreignComponents.map(c => ids.get(c.id)!)];
  const external = topology.peers.map(p => ids.get(p.id)!);
  lines.push('  classDef foreign fill:#f4f4f4,stroke:#7a7a7a,stroke-dasharray:4 3');
  lines.push('  classDef peer fill:#fff3dc,stroke:#b36b00');
  if (foreign.length) lines.push(`  class ${foreign.join(',')} foreign`);
  if (external.length) lines.push(`  class ${external.join(',')} peer`);
  return lines.join('\n') + '\n';
}
