import { IConstruct } from 'constructs';
import { IComponent, NamedPort } from './interfaces';

/** One side of an allowed connection. */
export class NetworkPeer {
  /** The pods of a component of this library. */
  public static component(component: IComponent): NetworkPeer {
    return new NetworkPeer('component', component);
  }

  /** Any pod in the namespace named `namespace` (e.g. the Ingress controller's). */
  public static namespace(namespace: string): NetworkPeer {
    return new NetworkPeer('namespace', undefined, namespace);
  }

  /** Any pod in any namespace of the cluster (e.g. batch jobs that push metrics). */
  public static anyPodInCluster(): NetworkPeer {
    return new NetworkPeer('cluster');
  }

  /** Any address, inside or outside the cluster (scrape targets, the API server, receivers). */
  public static anywhere(): NetworkPeer {
    return new NetworkPeer('anywhere');
  }

  /** The addresses of an IPv4 CIDR, e.g. another cluster's load balancers. */
  public static cidr(cidr: string): NetworkPeer {
    return new NetworkPeer('cidr', undefined, undefined, cidr);
  }

  private constructor(
    public readonly kind: 'component' | 'namespace' | 'cluster' | 'anywhere' | 'cidr',
    public readonly target?: IComponent,
    public readonly namespaceName?: string,
    public readonly cidrBlock?: string,
  ) {}
}

/** A connection the stack needs: `from` opens connections to `to` on `ports` (all ports when empty). */
export interface Connection {
  readonly from: NetworkPeer;
  readonly to: NetworkPeer;
  readonly ports: NamedPort[];
}

/** Where a component serves metrics, and how its stack's Prometheus finds them. */
export interface MetricsEndpoint {
  /** The scrape job, unique in a Prometheus (`<app>-<name>` by convention). */
  readonly job: string;
  readonly port: NamedPort;
  /** @default '/metrics' */
  readonly path?: string;
  /** Keep the labels of the scraped series (a Pushgateway's pushed groups). @default false */
  readonly honorLabels?: boolean;
  /**
   * `host:port` of every pod, for pods with stable DNS names (a StatefulSet's).
   * @default the endpoints of `service`, discovered through the Kubernetes API
   */
  readonly staticTargets?: string[];
  /** The Service whose endpoints are the targets when there are no static ones. */
  readonly service?: string;
}

/** A component whose metrics a Prometheus collects. */
export interface MetricsSource {
  readonly component: IComponent;
  /** `app.kubernetes.io/name` of the component (`alertmanager`, `thanos-store`, …), for the default rules. */
  readonly app: string;
  readonly replicas: number;
  readonly endpoints: MetricsEndpoint[];
}

interface Links {
  readonly ingress: Connection[];
  readonly egress: Connection[];
}

const graphs = new WeakMap<IConstruct, NetworkGraph>();

/**
 * Who talks to whom in one app. Constructs record the connections their
 * wiring implies (a querier's stores, Prometheus' Alertmanagers, …), and each
 * component's NetworkPolicy allows exactly those, so policies can never drift
 * from the configuration.
 *
 * Metrics follow ownership: a component belongs to the stack of the scope it
 * was created in, and only the Prometheus of that stack scrapes it, unless
 * another one asks for it (`Prometheus.scrape()`). Many stacks in one app
 * therefore see nothing of each other that nobody wired.
 */
export class NetworkGraph {
  /** The graph of the app `scope` belongs to. */
  public static of(scope: IConstruct): NetworkGraph {
    const root = scope.node.root;
    let graph = graphs.get(root);
    if (!graph) {
      graph = new NetworkGraph();
      graphs.set(root, graph);
    }
    return graph;
  }

  private readonly edges: Connection[] = [];
  private readonly links = new Map<IComponent, Links>();
  private readonly sourcesByStack = new Map<IConstruct, MetricsSource[]>();
  private readonly scrapersByStack = new Map<IConstruct, IComponent[]>();
  private readonly scraped = new Map<IComponent, MetricsSource[]>();
  private readonly sourceOf = new Map<IComponent, MetricsSource>();
  private revision = 0;

  private constructor() {}

  /** Records that `from` connects to `to` on `ports`. */
  public connect(from: NetworkPeer, to: NetworkPeer, ports: NamedPort[]): void {
    const connection = { from, to, ports };
    this.edges.push(connection);
    if (from.target) this.linksOf(from.target).egress.push(connection);
    if (to.target) this.linksOf(to.target).ingress.push(connection);
    this.revision++;
  }

  /** Records that `component` serves metrics; the scrapers of its stack collect them. */
  public serveMetrics(source: MetricsSource): void {
    const stack = stackOf(source.component);
    this.sourceOf.set(source.component, source);
    list(this.sourcesByStack, stack).push(source);
    for (const scraper of this.scrapersByStack.get(stack) ?? []) this.addScrape(scraper, source);
  }

  /** Records that `scraper` collects the metrics of every component of its stack. */
  public addScraper(scraper: IComponent): void {
    const stack = stackOf(scraper);
    const scrapers = list(this.scrapersByStack, stack);
    if (scrapers.includes(scraper)) return;
    scrapers.push(scraper);
    list(this.scraped, scraper);
    for (const source of this.sourcesByStack.get(stack) ?? []) this.addScrape(scraper, source);
  }

  /**
   * Records that `scraper` also collects the metrics of `component`, of another stack.
   * @returns false if it already does
   * @throws if `component` serves no metrics
   */
  public scrape(scraper: IComponent, component: IComponent): boolean {
    const source = this.sourceOf.get(component);
    if (!source) throw new Error(`'${component.node.path}' serves no metrics`);
    if (this.metricsSourcesOf(scraper).includes(source)) return false;
    this.addScrape(scraper, source);
    return true;
  }

  /** Whether `component` serves metrics. */
  public servesMetrics(component: IComponent): boolean {
    return this.sourceOf.has(component);
  }

  /** What `scraper` collects: the components of its stack (itself included), then those it asked for. */
  public metricsSourcesOf(scraper: IComponent): MetricsSource[] {
    return [...this.scraped.get(scraper) ?? []];
  }

  /** The connections that end at `component` (ingress) and start at it (egress), in the order they were made. */
  public connectionsOf(component: IComponent): Links {
    const links = this.links.get(component);
    return { ingress: [...links?.ingress ?? []], egress: [...links?.egress ?? []] };
  }

  /** Changes whenever a connection is added. */
  public get version(): number {
    return this.revision;
  }

  /** Every connection, scrapes included. */
  public get connections(): Connection[] {
    return [...this.edges];
  }

  private addScrape(scraper: IComponent, source: MetricsSource): void {
    list(this.scraped, scraper).push(source);
    this.connect(NetworkPeer.component(scraper), NetworkPeer.component(source.component), source.endpoints.map(e => e.port));
  }

  private linksOf(component: IComponent): Links {
    let links = this.links.get(component);
    if (!links) {
      links = { ingress: [], egress: [] };
      this.links.set(component, links);
    }
    return links;
  }
}

/**
 * The scrape job that `scraper` collects `endpoint`'s metrics with: its own
 * name for a component of the scraper's stack (wherever its namespace, as the
 * node exporter's own), suffixed with the namespace for one of another stack
 * (names are unique within a namespace, not across them).
 * @internal
 */
export function scrapeJobName(scraper: IComponent, component: IComponent, job: string): string {
  return stackOf(component) === stackOf(scraper) ? job : `${job}-${component.identity.namespace}`;
}

/** The stack a component belongs to: the scope it was created in. */
function stackOf(component: IComponent): IConstruct {
  return component.node.scope ?? component.node.root;
}

function list<K, V>(map: Map<K, V[]>, key: K): V[] {
  let values = map.get(key);
  if (!values) {
    values = [];
    map.set(key, values);
  }
  return values;
}
