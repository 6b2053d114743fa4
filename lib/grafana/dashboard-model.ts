/*
 * The part of Grafana's dashboard JSON model (schema v1, the one file
 * provisioning reads) that the library's own dashboards use, as plain typed
 * objects. Field names follow Grafana 12's model, as the typed builders of
 * @grafana/grafana-foundation-sdk (TypeScript, v0.0.21: dashboard/types.gen.d.ts)
 * declare them; the SDK itself is not a dependency: 11 MB of generated
 * builders for the handful of fields written here.
 * @internal
 */

/**
 * The schema version the dashboards are written in: Grafana 12.0's. Grafana
 * migrates a dashboard of an older schema when it loads it, never a newer one.
 */
export const SCHEMA_VERSION = 41;

/** The datasource every panel and variable uses: the dashboard's `datasource` variable. */
export const DATASOURCE_REF = { type: 'prometheus', uid: '${datasource}' } as const;

/** A PromQL query of a panel. */
export interface DashboardTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly datasource: typeof DATASOURCE_REF;
  /** Instant queries for stat panels: one value, not a range. */
  readonly instant?: boolean;
  readonly range?: boolean;
}

/** A panel on the grid (24 columns). */
export interface DashboardPanel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'row';
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: typeof DATASOURCE_REF;
  readonly targets?: DashboardTarget[];
  readonly fieldConfig?: { readonly defaults: Record<string, unknown>; readonly overrides: unknown[] };
  readonly options?: Record<string, unknown>;
  readonly collapsed?: boolean;
  readonly panels?: DashboardPanel[];
}

/** A template variable: the datasource picker, or the jobs of one kind of daemon. */
export interface DashboardVariable {
  readonly type: 'datasource' | 'query';
  readonly name: string;
  readonly label: string;
  readonly query: string;
  readonly definition?: string;
  readonly datasource?: typeof DATASOURCE_REF;
  /** 2: on time range change, so new jobs show up. */
  readonly refresh: 1 | 2;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  readonly sort?: number;
  readonly hide?: 0;
}

/** A whole dashboard, as Grafana's file provisioning reads it. */
export interface DashboardModel {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  readonly timezone: 'browser';
  readonly editable: boolean;
  readonly graphTooltip: 1;
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly templating: { readonly list: DashboardVariable[] };
  readonly annotations: { readonly list: unknown[] };
  readonly panels: DashboardPanel[];
}

/** What a panel shows, before it is placed on the grid. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  /** One PromQL expression per series group, with its legend. */
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend?: string }>;
  /** Grafana unit id: `s`, `bytes`, `short`, `percentunit`, `reqps`, `ops`… @default 'short' */
  readonly unit?: string;
  /** A single number (the latest value), not a graph. */
  readonly stat?: boolean;
  /** Columns of 24. @default 12, or 6 for a stat */
  readonly width?: number;
}

/** A titled group of panels. */
export interface RowSpec {
  readonly title: string;
  readonly panels: PanelSpec[];
}

/** The datasource variable: any Prometheus-type datasource, the default one first. */
export function datasourceVariable(): DashboardVariable {
  return { type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', refresh: 1, hide: 0 };
}

/**
 * A variable of the jobs whose series `selector` (a metric with a `job`
 * matcher) has: the scrape jobs of one kind of daemon.
 */
export function jobVariable(name: string, label: string, selector: string): DashboardVariable {
  const query = `label_values(${selector}, job)`;
  return {
    type: 'query', name, label, query, definition: query, datasource: DATASOURCE_REF,
    refresh: 2, multi: true, includeAll: true, sort: 1, hide: 0,
  };
}

const STAT_HEIGHT = 4;
const GRAPH_HEIGHT = 8;

/** Lays rows of panels out on Grafana's 24-column grid, left to right, each row under a row header. */
export function layout(rows: RowSpec[]): DashboardPanel[] {
  const panels: DashboardPanel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const spec of row.panels) {
      const w = spec.width ?? (spec.stat ? 6 : 12);
      const h = spec.stat ? STAT_HEIGHT : GRAPH_HEIGHT;
      if (x + w > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      panels.push(panel(id++, spec, { x, y, w, h }));
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  return panels;
}

function panel(id: number, spec: PanelSpec, gridPos: DashboardPanel['gridPos']): DashboardPanel {
  const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const targets = spec.queries.map((q, i): DashboardTarget => ({
    refId: refIds[i],
    expr: q.expr,
    legendFormat: q.legend,
    datasource: DATASOURCE_REF,
    ...(spec.stat ? { instant: true, range: false } : {}),
  }));
  const defaults = { unit: spec.unit ?? 'short' };
  return spec.stat
    ? {
      id, type: 'stat', title: spec.title, description: spec.description, gridPos, datasource: DATASOURCE_REF, targets,
      fieldConfig: { defaults, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'none', textMode: 'auto' },
    }
    : {
      id, type: 'timeseries', title: spec.title, description: spec.description, gridPos, datasource: DATASOURCE_REF, targets,
      fieldConfig: { defaults: { ...defaults, custom: { lineWidth: 1, fillOpacity: 10, showPoints: 'never' } }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
    };
}

/** A dashboard of the library: the datasource picker, job variables, and rows of panels. */
export function dashboard(options: {
  uid: string; title: string; description: string; variables: DashboardVariable[]; rows: RowSpec[];
}): DashboardModel {
  return {
    uid: options.uid,
    title: options.title,
    description: options.description,
    tags: ['cdk8s-prometheus-thanos'],
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: { list: [datasourceVariable(), ...options.variables] },
    annotations: { list: [] },
    panels: layout(options.rows),
  };
}
