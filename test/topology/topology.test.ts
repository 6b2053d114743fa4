import { App, Chart } from 'cdk8s';
import { instance } from '@viz-js/viz';
import { EXAMPLES } from '../../examples';
import { MonitoringChart, Prometheus, ThanosQuerier } from '../../lib';
import { Topology, topology } from '../../lib/topology/topology';
import { testApp } from '../support/synth';

function article(): Topology {
  return topology(EXAMPLES.article(testApp()));
}

/** The edges as `from -> to: ports`, for reading. */
function edgeList(t: Topology): string[] {
  return t.edges.map(e => `${e.from} -> ${e.to}: ${e.ports.map(p => `${p.name} ${p.port}${p.protocol === 'UDP' ? '/UDP' : ''}`).join(', ') || 'all'}`);
}

function givenCentralQuerier(): { app: App; team: MonitoringChart; central: Chart } {
  const app = testApp();
  const team = new MonitoringChart(app, 'team-a', { namespace: 'team-a', prometheus: { networkPolicy: false } });
  const central = new Chart(app, 'central', { namespace: 'central' });
  new ThanosQuerier(central, 'querier', { stores: [team.prometheus!] });
  new Prometheus(central, 'prometheus', {}).scrape(team.alertmanager!);
  return { app, team, central };
}

describe('topology(chart)', () => {
  test('the components of the article, what runs them and their Services with ports', () => {
    // GIVEN / WHEN
    const t = article();
    // THEN the MonitoringIngress, which runs no pods and is no end of a connection, is none
    expect(t.components.map(c => [c.name, c.type, c.namespace, c.workloads.map(w => `${w.kind} x${w.replicas}`).join()])).toEqual([
      ['alertmanager', 'Alertmanager', 'monitoring', 'StatefulSet x3'],
      ['pushgateway', 'Pushgateway', 'monitoring', 'StatefulSet x1'],
      ['prometheus', 'Prometheus', 'monitoring', 'StatefulSet x3'],
      ['thanos-query', 'ThanosQuerier', 'monitoring', 'Deployment x2'],
      ['grafana', 'Grafana', 'monitoring', 'Deployment x1'],
    ]);
    const prometheus = t.components.find(c => c.name === 'prometheus')!;
    expect(prometheus.services).toEqual([
      { name: 'prometheus-headless', headless: true, ports: [{ name: 'web', port: 9090 }, { name: 'grpc', port: 10901 }, { name: 'http-sidecar', port: 10902 }] },
      { name: 'prometheus', headless: false, ports: [{ name: 'web', port: 9090 }] },
    ]);
    const alertmanager = t.components.find(c => c.name === 'alertmanager')!;
    expect(alertmanager.services[0].ports).toContainEqual({ name: 'mesh-udp', port: 9094, protocol: 'UDP' });
    expect(t.components.every(c => c.networkPolicy && !c.foreign && c.chart === 'article')).toBe(true);
  });

  test('the article\'s connections, one edge per pair of nodes with the union of their ports, external peers included', () => {
    // GIVEN / WHEN
    const t = article();
    // THEN
    // (in the order the wiring recorded them; sorted here, as that order is no contract)
    expect([...t.peers].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'anywhere', kind: 'anywhere', label: 'anywhere' },
      { id: 'cluster', kind: 'cluster', label: 'any pod in the cluster' },
      { id: 'namespace:ingress-nginx', kind: 'namespace', namespace: 'ingress-nginx', label: 'namespace ingress-nginx' },
    ]);
    expect(edgeList(t).sort()).toEqual([
      'article/alertmanager -> anywhere: notify-443 443, notify-8060 8060',
      'article/alertmanager -> article/alertmanager: mesh-tcp 9094, mesh-udp 9094/UDP',
      'article/grafana -> article/thanos-query: http 10902',
      'article/prometheus -> anywhere: all',
      // scraped (web, reloader-web) and sent alerts (web): one edge
      'article/prometheus -> article/alertmanager: web 9093, reloader-web 8080',
      'article/prometheus -> article/grafana: http 3000',
      'article/prometheus -> article/prometheus: web 9090, http-sidecar 10902, reloader-web 8080',
      'article/prometheus -> article/pushgateway: web 9091',
      'article/prometheus -> article/thanos-query: http 10902',
      'article/thanos-query -> article/prometheus: grpc 10901',
      'cluster -> article/pushgateway: web 9091',
      'namespace:ingress-nginx -> article/alertmanager: web 9093',
      'namespace:ingress-nginx -> article/grafana: http 3000',
      'namespace:ingress-nginx -> article/prometheus: web 9090',
      'namespace:ingress-nginx -> article/pushgateway: web 9091',
      'namespace:ingress-nginx -> article/thanos-query: http 10902',
    ]);
    expect(Topology.of(EXAMPLES.article(testApp())).edges).toEqual(t.edges);
  });

  test('components of other charts are drawn as such, in their chart\'s group, whichever side the chart is on', () => {
    // GIVEN a central Querier and Prometheus over team-a's stack
    const { team, central } = givenCentralQuerier();
    // WHEN both topologies are read
    const centralTopology = topology(central);
    const teamTopology = topology(team);
    // THEN each shows the other's components it connects with as foreign, grouped by chart
    expect(centralTopology.foreignComponents.map(c => [c.id, c.foreign, c.chart])).toEqual([
      ['team-a/prometheus', true, 'team-a'], ['team-a/alertmanager', true, 'team-a'],
    ]);
    expect(centralTopology.groups).toEqual([
      { chart: 'central', namespace: 'central', foreign: false, components: ['central/querier', 'central/prometheus'] },
      { chart: 'team-a', namespace: 'team-a', foreign: true, components: ['team-a/prometheus', 'team-a/alertmanager'] },
    ]);
    expect(edgeList(teamTopology)).toEqual(expect.arrayContaining([
      'central/querier -> team-a/prometheus: grpc 10901',
      'central/prometheus -> team-a/alertmanager: web 9093, reloader-web 8080',
    ]));
    expect(teamTopology.foreignComponents.map(c => c.id)).toEqual(['central/querier', 'central/prometheus']);
    // and a component without a NetworkPolicy says so
    expect(teamTopology.components.find(c => c.name === 'prometheus')!.networkPolicy).toBe(false);
    expect(teamTopology.toDot()).toContain('no NetworkPolicy: its pods are not isolated');
    expect(teamTopology.toMermaid()).toContain('no NetworkPolicy: its pods are not isolated');
  });

  test('node() names a node, and fails on an unknown id', () => {
    // GIVEN / WHEN
    const t = article();
    // THEN
    expect(t.node('anywhere').label).toBe('anywhere');
    expect(() => t.node('nope')).toThrow("the topology of 'article' has no node 'nope'");
  });
});

describe('toDot()', () => {
  test('one cluster per chart, external peers as their own shapes, the ports on every edge, DNS in the caption', () => {
    // GIVEN / WHEN
    const dot = article().toDot();
    // THEN
    expect(dot.match(/subgraph cluster_\d+/g)).toEqual(['subgraph cluster_0']);
    expect(dot).toContain('<B>chart article · namespace monitoring</B>');
    expect(dot).toMatch(/"namespace:ingress-nginx" \[label="namespace ingress-nginx\\n\(any pod in it\)", shape=tab/);
    expect(dot).toMatch(/"cluster" \[label="any pod in the cluster", shape=box3d/);
    expect(dot).toMatch(/"anywhere" \[label="anywhere\\n\(in or outside the cluster\)", shape=ellipse, style="filled,dashed"/);
    const edges = dot.split('\n').filter(l => / -> /.test(l) && !l.includes('style=invis'));
    expect(edges).toHaveLength(16);
    expect(edges).toContainEqual(expect.stringContaining('"article/alertmanager" -> "anywhere" [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"><TR><TD>notify 443<BR/>notify 8060</TD></TR></TABLE>>'));
    expect(edges).toContainEqual(expect.stringMatching(/"article\/prometheus" -> "anywhere" \[label=<.*all ports.*>, style=dashed/));
    expect(dot).toContain('Not drawn: DNS (53/UDP, 53/TCP), which every policy allows to anywhere.');
  });

  test('is the same text for the same chart, in any app', () => {
    // GIVEN the article in two apps, one with the other examples beside it
    const crowded = testApp();
    const charts = Object.values(EXAMPLES).map(build => build(crowded));
    // WHEN / THEN
    expect(topology(charts[Object.keys(EXAMPLES).indexOf('article')]).toDot()).toEqual(article().toDot());
  });

  test('Graphviz lays it out: every node and edge is in the SVG, the ports as text', async () => {
    // GIVEN
    const t = article();
    // WHEN
    const svg = (await instance()).renderString(t.toDot(), { format: 'svg' });
    // THEN
    const escaped = (id: string) => id.replace(/-/g, '&#45;');
    for (const node of t.nodes) expect(svg).toContain(`<title>${escaped(node.id)}</title>`);
    expect(svg.match(/class="edge"/g)).toHaveLength(t.edges.length);
    expect(svg).toContain('>mesh&#45;udp 9094/UDP</text>');
    expect(svg).toContain('>http 10902</text>');
  });
});

describe('toMermaid()', () => {
  test('a flowchart with a subgraph per chart, the peers, and an edge per connection labelled with its ports', () => {
    // GIVEN
    const { central } = givenCentralQuerier();
    // WHEN
    const mermaid = topology(central).toMermaid();
    // THEN
    const lines = mermaid.split('\n');
    expect(lines[0]).toBe('flowchart TB');
    expect(lines.filter(l => l.trim().startsWith('subgraph '))).toEqual([
      '  subgraph chart_central["chart central · namespace central"]',
      '  subgraph chart_team_a["chart team-a · namespace team-a (another chart)"]',
    ]);
    expect(lines).toContain('  anywhere{{"anywhere<br/>(in or outside the cluster)"}}');
    expect(lines).toContain('  central_querier -->|"grpc 10901"| team_a_prometheus');
    expect(lines).toContain('  central_prometheus -.->|"all ports"| anywhere');
    expect(lines).toContain('  class team_a_prometheus,team_a_alertmanager foreign');
    expect(lines.filter(l => / -(->|\.->)\|/.test(l))).toHaveLength(topology(central).edges.length);
  });

  test('the article\'s peers and the Ingress controller\'s namespace', () => {
    // GIVEN / WHEN
    const mermaid = article().toMermaid();
    // THEN
    expect(mermaid).toContain('  namespace_ingress_nginx[/"namespace ingress-nginx<br/>(any pod in it)"/]');
    expect(mermaid).toContain('  cluster(["any pod in the cluster"])');
    expect(mermaid).toContain('  namespace_ingress_nginx -->|"web 9090"| article_prometheus');
    expect(mermaid).toContain('article_prometheus["<b>prometheus</b><br/>Prometheus · StatefulSet, 3 replicas<br/>'
      + 'headless svc prometheus-headless: web 9090, grpc 10901, http-sidecar 10902<br/>svc prometheus: web 9090"]');
  });
});
