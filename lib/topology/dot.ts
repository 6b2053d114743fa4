import type { TopologyComponent, TopologyPeer, TopologyView } from './topology-model';
import { CAPTION, edgeLines, groupLabel, kindLine, serviceName, servicePorts } from './labels';

const FONT = 'Helvetica';

/** A DOT double-quoted string; its lines centred. */
function quote(s: string): string {
  return `"${escape(s).replace(/\n/g, '\\n')}"`;
}

/** A DOT double-quoted string of left-justified lines. */
function quoteLeft(lines: string[]): string {
  return `"${lines.map(line => `${escape(line)}\\l`).join('')}"`;
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Text inside an HTML-like label. */
function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = {
  component: { fill: '#e8f0fb', line: '#2f5f98' },
  foreign: { fill: '#f4f4f4', line: '#7a7a7a' },
  namespace: { fill: '#fff3dc', line: '#b36b00' },
  cluster: { fill: '#fff3dc', line: '#b36b00' },
  cidr: { fill: '#f3e9fb', line: '#6a3d9a' },
  anywhere: { fill: '#fbe9e9', line: '#a33a3a' },
};

function componentNode(c: TopologyComponent): string {
  const rows = [
    `<TR><TD><B>${html(c.name)}</B></TD></TR>`,
    `<TR><TD><FONT POINT-SIZE="10" COLOR="#444444">${html(kindLine(c))}</FONT></TD></TR>`,
    ...c.services.flatMap(service => [
      `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#444444">${html(serviceName(service))}</FONT></TD></TR>`,
      `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="#444444">    ${html(servicePorts(service))}</FONT></TD></TR>`,
    ]),
    ...c.networkPolicy ? [] : ['<TR><TD><FONT POINT-SIZE="9" COLOR="#b00020">no NetworkPolicy: its pods are not isolated</FONT></TD></TR>'],
  ];
  const style = c.foreign ? STYLE.foreign : STYLE.component;
  const label = `<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">${rows.join('')}</TABLE>>`;
  const dashed = c.foreign ? ',dashed' : '';
  return `${quote(c.id)} [label=${label}, shape=box, style="rounded,filled${dashed}", fillcolor="${style.fill}", color="${style.line}"]`;
}

function peerNode(p: TopologyPeer): string {
  const style = STYLE[p.kind];
  const shape = { namespace: 'tab', cluster: 'box3d', cidr: 'cds', anywhere: 'ellipse' }[p.kind];
  const dashed = p.kind === 'anywhere' ? ',dashed' : '';
  const hint = { namespace: '\n(any pod in it)', cluster: '', cidr: '\n(IP block)', anywhere: '\n(in or outside the cluster)' }[p.kind];
  return `${quote(p.id)} [label=${quote(p.label + hint)}, shape=${shape}, style="filled${dashed}", fillcolor="${style.fill}", color="${style.line}"]`;
}

/** The Graphviz DOT of a topology. */
export function renderDot(topology: TopologyView): string {
  const byId = new Map(topology.nodes.map(n => [n.id, n]));
  const lines = [
    `digraph ${quote(topology.chart.node.path)} {`,
    `  graph [rankdir=TB, newrank=true, nodesep=0.5, ranksep=0.7, pad=0.3, fontname=${quote(FONT)}, fontsize=10, labelloc=b, labeljust=l, label=${quoteLeft(CAPTION)}]`,
    `  node [fontname=${quote(FONT)}, fontsize=11, margin="0.15,0.08"]`,
    `  edge [fontname=${quote(FONT)}, fontsize=9, color="#555555", fontcolor="#333333", arrowsize=0.7]`,
  ];
  topology.groups.forEach((group, i) => {
    const color = group.foreign ? STYLE.foreign.line : STYLE.component.line;
    lines.push(`  subgraph cluster_${i} {`);
    lines.push(`    graph [label=<<B>${html(groupLabel(group))}</B>>, fontsize=12, style="rounded${group.foreign ? ',dashed' : ''}", color="${color}", fontcolor="${color}", margin=24]`);
    for (const id of group.components) lines.push(`    ${componentNode(byId.get(id) as TopologyComponent)}`);
    lines.push('  }');
  });
  for (const peer of topology.peers) lines.push(`  ${peerNode(peer)}`);
  // Peers that only open connections on top, peers that only accept them at the bottom: in, through, out.
  const sources = topology.peers.filter(p => !topology.edges.some(e => e.to === p.id)).map(p => p.id);
  const sinks = topology.peers.filter(p => !topology.edges.some(e => e.from === p.id)).map(p => p.id);
  const [sourceIds, sinkIds] = [new Set(sources), new Set(sinks)];
  if (sources.length) lines.push(`  { rank=min; ${sources.map(quote).join('; ')} }`);
  if (sinks.length) lines.push(`  { rank=max; ${sinks.map(quote).join('; ')} }`);
  // Sources above every component and sinks below: an invisible edge holds each component that no drawn one does.
  for (const c of [...topology.components, ...topology.foreignComponents]) {
    if (sources.length && !topology.edges.some(e => e.to === c.id && sourceIds.has(e.from))) {
      lines.push(`  ${quote(sources[0])} -> ${quote(c.id)} [style=invis]`);
    }
    if (sinks.length && !topology.edges.some(e => e.from === c.id && sinkIds.has(e.to))) {
      lines.push(`  ${quote(c.id)} -> ${quote(sinks[0])} [style=invis]`);
    }
  }
  for (const edge of topology.edges) {
    // A cell with padding keeps the label off its own edge and off a self-loop.
    const label = `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"><TR><TD>${edgeLines(edge).map(html).join('<BR/>')}</TD></TR></TABLE>`;
    const open = edge.ports.length ? '' : ', style=dashed';
    // Coloured like the peer outside the stack it comes from or goes to, so what enters and leaves stands out.
    const [from, to] = [byId.get(edge.from)!, byId.get(edge.to)!];
    const outside = from.kind !== 'component' ? STYLE[from.kind] : to.kind !== 'component' ? STYLE[to.kind] : undefined;
    const color = outside ? `, color="${outside.line}", fontcolor="${outside.line}"` : '';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=<${label}>${open}${color}]`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
