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

  private constructor(
    public readonly kind: 'component' | 'namespace' | 'cluster' | 'anywhere',
    public readonly target?: IComponent,
    public readonly namespaceName?: string,
  ) {}
}

/** A connection the stack needs: `from` opens connections to `to` on `ports` (all ports when empty). */
export interface Connection {
  readonly from: NetworkPeer;
  readonly to: NetworkPeer;
  readonly ports: NamedPort[];
}

const graphs = new WeakMap<IConstruct, NetworkGraph>();

/**
 * Who talks to whom in one app. Constructs record the connections their
 * wiring implies (a querier's stores, Prometheus' Alertmanagers, …), and each
 * component's NetworkPolicy allows exactly those, so policies can never drift
 * from the configuration.
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
  private readonly scrapers: IComponent[] = [];
  private readonly metricsPorts = new Map<IComponent, NamedPort[]>();
  private revision = 0;

  private constructor() {}

  /** Records that `from` connects to `to` on `ports`. */
  public connect(from: NetworkPeer, to: NetworkPeer, ports: NamedPort[]): void {
    this.edges.push({ from, to, ports });
    this.revision++;
  }

  /** Records that `component` serves metrics on `ports`, for every scraper to reach. */
  public serveMetrics(component: IComponent, ports: NamedPort[]): void {
    this.metricsPorts.set(component, ports);
    this.revision++;
  }

  /** Records that `component` scrapes the metrics of every component. */
  public addScraper(component: IComponent): void {
    if (!this.scrapers.includes(component)) this.scrapers.push(component);
    this.revision++;
  }

  /** Changes whenever a connection, scraper or metrics port is added. */
  public get version(): number {
    return this.revision;
  }

  /** Every connection, scrapes included. */
  public get connections(): Connection[] {
    const scrapes = this.scrapers.flatMap(scraper => [...this.metricsPorts].map(([target, ports]) => ({
      from: NetworkPeer.component(scraper), to: NetworkPeer.component(target), ports,
    })));
    return [...this.edges, ...scrapes];
  }
}
