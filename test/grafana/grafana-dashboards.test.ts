import { parse } from 'yaml';
import { Alertmanager, GrafanaDashboards, ObjectStorage, Prometheus, Pushgateway, ThanosCompactor, ThanosQuerier, ThanosStoreGateway } from '../../lib';
import { promqlRuleError, promqlType } from '../../lib/config/promql/promql';
import { givenChart } from '../support/synth';

// The library's own dashboards (GrafanaDashboards.stack()): every PromQL
// expression must pass the library's checker (a port of Prometheus 3.5's
// parser), and every job variable must find the scrape jobs the library
// really renders for its components.

interface Query { dashboard: string; where: string; expr: string }

/** Grafana's variables, replaced as Grafana would before sending the query. */
function interpolate(expr: string): string {
  return expr.replace(/\$__rate_interval/g, '5m').replace(/\$\{?(job|sidecar)\}?/g, 'x');
}

/** Every panel query of every stack dashboard, and the selector inside each job variable's label_values(). */
function queries(): { panels: Query[]; variables: Query[] } {
  const panels: Query[] = [];
  const variables: Query[] = [];
  for (const d of GrafanaDashboards.stack()) {
    const json = d.json as any;
    for (const p of json.panels) {
      for (const t of p.targets ?? []) panels.push({ dashboard: d.name, where: `${p.title} ${t.refId}`, expr: t.expr });
    }
    for (const v of json.templating.list.filter((x: any) => x.type === 'query')) {
      const m = /^label_values\((.*), job\)$/.exec(v.query);
      if (!m) throw new Error(`${d.name}: variable ${v.name} is not label_values(<selector>, job): ${v.query}`);
      variables.push({ dashboard: d.name, where: `variable ${v.name}`, expr: m[1] });
    }
  }
  return { panels, variables };
}

describe('GrafanaDashboards.stack()', () => {
  const { panels, variables } = queries();

  test('has the dashboards of Prometheus, Thanos Query, Store and Compactor, Alertmanager and Pushgateway, each with a title and uid', () => {
    // GIVEN / WHEN the stack's dashboards
    const dashboards = GrafanaDashboards.stack();
    // THEN
    expect(dashboards.map(d => d.name)).toEqual(['prometheus', 'thanos-query', 'thanos-store', 'thanos-compact', 'alertmanager', 'pushgateway']);
    expect(dashboards.map(d => (d.json as any).uid)).toEqual(dashboards.map(d => `cdk8s-${d.name}`));
    expect(dashboards.every(d => typeof (d.json as any).title === 'string')).toBe(true);
    expect(panels.length).toBeGreaterThan(50);
  });

  test.each(panels.map(q => [`${q.dashboard}: ${q.where}`, q.expr]))('%s is valid PromQL that evaluates to a vector', (_where, expr) => {
    // GIVEN a panel expression with Grafana's variables filled in
    const filled = interpolate(expr);
    // WHEN checked as Prometheus checks a rule expression
    const error = promqlRuleError(filled);
    // THEN there is no problem
    expect(error).toBeUndefined();
  });

  test.each(variables.map(q => [`${q.dashboard}: ${q.where}`, q.expr]))('%s selects series by metric and job', (_where, selector) => {
    // GIVEN / WHEN the selector of a job variable is checked
    // THEN it is an instant vector selector with a job matcher
    expect(promqlType(selector)).toEqual({ type: 'vector' });
    expect(selector).toMatch(/^[a-z_]+\{job=~"[a-z-]+\(-\.\+\)\?"\}$/);
  });

  test('the checker is not a rubber stamp: a broken expression fails', () => {
    // GIVEN / WHEN / THEN
    expect(promqlRuleError(interpolate('sum by (pod) (rate(x{job=~"$job"}[$__rate_interval])'))).toBeDefined();
    expect(promqlRuleError(interpolate('rate(x[$__rate_interval])[5m]'))).toBeDefined();
  });

  test("every job variable finds the scrape jobs the library renders for its daemon, and only those of that daemon's app", () => {
    // GIVEN a stack with one of each daemon, some renamed, and the jobs its Prometheus scrapes
    const { chart } = givenChart();
    const objectStorage = ObjectStorage.fromSecret('objstore');
    const am = new Alertmanager(chart, 'alertmanager');
    const pgw = new Pushgateway(chart, 'pgw');
    const prometheus = new Prometheus(chart, 'prometheus', { alertmanagers: [am], pushgateways: [pgw], thanos: { objectStorage } });
    const store = new ThanosStoreGateway(chart, 'store', { objectStorage });
    new ThanosQuerier(chart, 'querier', { stores: [prometheus, store] });
    new ThanosCompactor(chart, 'compactor', { objectStorage });
    const jobs: string[] = parse(prometheus.renderConfig()).scrape_configs.map((c: any) => c.job_name);
    // WHEN each variable's job regex is matched against them, as Prometheus anchors it
    const matched = Object.fromEntries(variables.map(v => {
      const regex = new RegExp(`^(?:${/job=~"([^"]+)"/.exec(v.expr)![1]})$`);
      return [`${v.dashboard} ${v.where}`, jobs.filter(j => regex.test(j))];
    }));
    // THEN each finds its daemon's job (the metric in the selector leaves out the config reloaders' jobs)
    expect(matched).toEqual({
      'prometheus variable job': ['prometheus', 'prometheus-reloader'],
      'prometheus variable sidecar': ['thanos-sidecar'],
      'thanos-query variable job': ['thanos-query-querier'],
      'thanos-store variable job': ['thanos-store-store'],
      'thanos-compact variable job': ['thanos-compact-compactor'],
      'alertmanager variable job': ['alertmanager', 'alertmanager-reloader'],
      'pushgateway variable job': ['pushgateway-pgw'],
    });
  });
});
