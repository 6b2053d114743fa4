import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { ComponentProps, ReplicatedPodOptions } from '../pod/pod-options';
import { disruptionBudget } from '../pod/scheduling';
import { PrerequisiteDeclaration, Prerequisites } from '../prerequisites/prerequisites';
import { MetricsEndpoint, NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { componentNetworkPolicy } from '../wiring/network-policies';
import { ComponentIdentity, IComponent, NamedPort } from '../wiring/interfaces';
import { identify, serviceHost } from './identity';
import { PodContent, podTemplate } from './pod-template';
import { servicePorts } from './container';

/** The kind of a component, for its identity labels. */
export interface ComponentKind {
  /** `app.kubernetes.io/name`, e.g. `prometheus`. */
  readonly app: string;
  /** `app.kubernetes.io/component`, e.g. `server`. */
  readonly role: string;
}

/** Options of a component's Service. */
export interface ServiceOptions {
  readonly ports: NamedPort[];
  readonly annotations?: Record<string, string>;
  /** Resolve pods before they are Ready (gossip peers that must find each other first). @default false */
  readonly publishNotReadyAddresses?: boolean;
}

/**
 * A group of a component's pods with a workload, selector and disruption
 * budget of its own: a shard of a sharded Prometheus.
 */
export interface PodGroup {
  /** Construct id suffix of the group's objects; undefined keeps the component's own ids (`statefulset`, `pdb`). */
  readonly id?: string;
  /** Name of the group's workload and budget. */
  readonly name: string;
  /** Labels that tell the group's pods from the component's others, added to the selector. */
  readonly labels: Record<string, string>;
}

/** The StatefulSet of a component. */
export interface StatefulSetOptions {
  readonly replicas: number;
  readonly template: k8s.PodTemplateSpec;
  readonly volumeClaimTemplates?: k8s.KubePersistentVolumeClaimProps[];
  /**
   * Start and replace pods in parallel: the replicas of the library's
   * components are independent copies that need no order.
   * @default true
   */
  readonly parallel?: boolean;
}

/**
 * What every component of the library shares, as cdk8s-plus' `Workload` and
 * aws-ecs' `BaseService` do for theirs: identity labels and selectors,
 * Services, the pod template (restricted security context, spreading),
 * the PodDisruptionBudget and the NetworkPolicy derived from the wiring.
 * A component says only what is particular to it.
 * @internal
 */
export abstract class Component extends Construct implements IComponent {
  private ownIdentity: ComponentIdentity;
  /** The NetworkGraph of the app: what this component connects to and serves. */
  protected readonly graph: NetworkGraph;
  private readonly componentProps: ComponentProps;
  private pdb?: k8s.KubePodDisruptionBudget;
  private readonly pdbs: k8s.KubePodDisruptionBudget[] = [];
  private policy?: k8s.KubeNetworkPolicy;

  protected constructor(scope: Construct, id: string, private readonly kind: ComponentKind, props: ComponentProps) {
    super(scope, id);
    this.componentProps = props;
    this.ownIdentity = identify(this, kind.app, kind.role, props.name);
    this.graph = NetworkGraph.of(this);
  }

  /** Name, namespace and labels of the component. */
  public get identity(): ComponentIdentity {
    return this.ownIdentity;
  }

  /**
   * Moves the component's objects out of the Chart's namespace into
   * `namespace` (the node exporter's privileged one); the wiring then
   * addresses it there. Only before any object of the component is made.
   */
  protected moveToNamespace(namespace: string): void {
    this.ownIdentity = { ...this.ownIdentity, namespace };
  }

  /** The PodDisruptionBudget (components with two or more replicas). */
  public get podDisruptionBudget(): k8s.KubePodDisruptionBudget | undefined {
    return this.pdb;
  }

  /** The NetworkPolicy that isolates the pods (unless `networkPolicy: false`). */
  public get networkPolicy(): k8s.KubeNetworkPolicy | undefined {
    return this.policy;
  }

  /** `<name>.<namespace>.svc` of a Service of this component. */
  protected serviceHost(serviceName: string): string {
    return serviceHost(serviceName, this.identity.namespace);
  }

  /** The client Service, named like the component. */
  protected createService(options: ServiceOptions): k8s.KubeService {
    const { name, labels, selectorLabels } = this.identity;
    return new k8s.KubeService(this, 'service', {
      metadata: { name, labels, annotations: options.annotations },
      spec: { selector: selectorLabels, ports: servicePorts(options.ports) },
    });
  }

  /** The headless Service that governs a StatefulSet: per-pod DNS names and SRV records. */
  protected createHeadlessService(serviceName: string, options: ServiceOptions): k8s.KubeService {
    const { labels, selectorLabels } = this.identity;
    return new k8s.KubeService(this, 'headless-service', {
      metadata: { name: serviceName, labels },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: options.publishNotReadyAddresses,
        selector: selectorLabels,
        ports: servicePorts(options.ports),
      },
    });
  }

  /** A ConfigMap of the component, named `<name>-<id>`. */
  protected createConfigMap(id: string, data: Record<string, string>): k8s.KubeConfigMap {
    return new k8s.KubeConfigMap(this, id, {
      metadata: { name: `${this.identity.name}-${id}`, labels: this.identity.labels },
      data,
    });
  }

  /** The pod template, with every default of the library's pods; for `group`'s pods when given. */
  protected podTemplate(replicas: number, options: ReplicatedPodOptions, content: PodContent, group?: PodGroup): k8s.PodTemplateSpec {
    return podTemplate(this, group ? this.groupIdentity(group) : this.identity, replicas, options, content);
  }

  /** The identity of the pods of `group`: the component's, plus the group's labels in the selector. */
  protected groupIdentity(group: PodGroup): ComponentIdentity {
    return {
      ...this.identity,
      selectorLabels: { ...this.identity.selectorLabels, ...group.labels },
      labels: { ...this.identity.labels, ...group.labels },
    };
  }

  /**
   * The component's StatefulSet, governed by `serviceName`; the first one is
   * the construct's default child. For one `group` of the component's pods
   * (a Prometheus shard), it is named and selects like the group.
   */
  protected createStatefulSet(serviceName: string, options: StatefulSetOptions, group?: PodGroup): k8s.KubeStatefulSet {
    const { labels, selectorLabels } = group ? this.groupIdentity(group) : this.identity;
    const name = group?.name ?? this.identity.name;
    const statefulSet = new k8s.KubeStatefulSet(this, group?.id === undefined ? 'statefulset' : `statefulset-${group.id}`, {
      metadata: { name, labels },
      spec: {
        serviceName,
        replicas: options.replicas,
        podManagementPolicy: options.parallel ?? true ? 'Parallel' : undefined,
        selector: { matchLabels: selectorLabels },
        template: options.template,
        volumeClaimTemplates: options.volumeClaimTemplates,
      },
    });
    this.node.defaultChild ??= statefulSet;
    return statefulSet;
  }

  /** The component's Deployment; it is the construct's default child. */
  protected createDeployment(replicas: number, template: k8s.PodTemplateSpec): k8s.KubeDeployment {
    const { name, labels, selectorLabels } = this.identity;
    const deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name, labels },
      spec: { replicas, selector: { matchLabels: selectorLabels }, template },
    });
    this.node.defaultChild = deployment;
    return deployment;
  }

  /**
   * Records where the component serves metrics; the Prometheus of its stack
   * scrapes them (and any other Prometheus that asks, with `scrape()`).
   */
  protected serveMetrics(replicas: number, endpoints: MetricsEndpoint[]): void {
    this.graph.serveMetrics({ component: this, app: this.kind.app, replicas, endpoints });
  }

  /**
   * The scrape job name of the component's metrics on `suffix`: the app when
   * the component has its name (`alertmanager`), else `<app>-<name>`.
   */
  protected metricsJob(suffix = ''): string {
    const base = this.identity.name === this.kind.app ? this.kind.app : `${this.kind.app}-${this.identity.name}`;
    return suffix ? `${base}-${suffix}` : base;
  }

  /** Metrics of each pod of a StatefulSet, by its stable DNS name under `headlessService`. */
  protected podMetrics(headlessService: string, replicas: number, port: NamedPort, options: { job?: string; path?: string } = {}): MetricsEndpoint {
    const host = this.serviceHost(headlessService);
    return {
      job: options.job ?? this.metricsJob(),
      port,
      path: options.path,
      staticTargets: Array.from({ length: replicas }, (_, i) => `${this.identity.name}-${i}.${host}:${port.port}`),
    };
  }

  /** Records that the component opens connections to `to` on `ports` (all ports when empty). */
  protected connectTo(to: NetworkPeer, ports: NamedPort[]): void {
    this.graph.connect(NetworkPeer.component(this), to, ports);
  }

  /**
   * Ends the component: a PodDisruptionBudget that lets a drain evict one of
   * `replicas` at a time (none for one replica, where it would block drains),
   * and the NetworkPolicy, unless switched off.
   */
  protected protect(replicas: number, groups: PodGroup[] = []): void {
    if (!groups.length) {
      this.pdb = disruptionBudget(this, 'pdb', this.identity.name, this.identity.selectorLabels, this.identity.labels, replicas);
    }
    for (const group of groups) {
      const { labels, selectorLabels } = this.groupIdentity(group);
      const pdb = disruptionBudget(this, group.id === undefined ? 'pdb' : `pdb-${group.id}`, group.name, selectorLabels, labels, replicas);
      this.pdb ??= pdb;
      if (pdb) this.pdbs.push(pdb);
    }
    if (this.componentProps.networkPolicy ?? true) this.policy = componentNetworkPolicy(this, this);
  }

  /** Every PodDisruptionBudget: one per group of pods (Prometheus shards), else the one. */
  public get podDisruptionBudgets(): k8s.KubePodDisruptionBudget[] {
    return this.pdbs.length ? [...this.pdbs] : this.pdb ? [this.pdb] : [];
  }

  /** Declares what the component needs in the cluster before its chart is applied (a Secret its config reads, …): see {@link Prerequisites}. */
  protected requires(...needs: PrerequisiteDeclaration[]): void {
    Prerequisites.declare(this, ...needs);
  }
}
