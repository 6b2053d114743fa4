import { Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { validateLabelName } from '../config/common/validate';
import { invalid, validateCount } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, checkedArgs, SINCE, supportedVersion } from '../images/versions/support';
import { ReplicatedPodOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { THANOS_USER } from '../pod/security';
import { WebComponent } from '../private/web-component';
import { container } from '../private/container';
import { goDurationProp } from '../private/durations';
import { healthProbes } from '../private/probes';
import { IQueryApi, IStoreApi, NamedPort } from '../wiring/interfaces';
import { resolveSecretFiles, SecretMount } from '../config/common/secret-mounts';
import { endpointTlsSupported, RemoteStoreApi } from './remote-store';
import { secretFileNeeds } from '../prerequisites/needs';
import { checkGrpcExposure, GrpcExposure, grpcLoadBalancerService, grpcServerTlsArgs } from './querier-grpc';
import { NetworkPeer } from '../wiring/network-graph';

/** Props of {@link ThanosQuerier}. */
export interface ThanosQuerierProps extends ReplicatedPodOptions, GrpcExposure {
  /**
   * Store APIs to fan out to: Prometheus instances with a Thanos sidecar, store gateways…
   * At least one is needed, here or with `addStore()`.
   * @default none
   */
  readonly stores?: IStoreApi[];
  /**
   * Store APIs outside this app (another cluster's Querier or sidecar, a store
   * behind a gRPC Ingress or LoadBalancer), each with its own TLS and client
   * certificate; egress allows exactly their ports. TLS needs Thanos v0.42 or later.
   * @default none
   */
  readonly remoteStores?: RemoteStoreApi[];
  /** @default 2 */
  readonly replicas?: number;
  /** @default DefaultImages.THANOS */
  readonly image?: ContainerImage;
  /**
   * External labels that tell HA replicas apart; results are de-duplicated on them.
   * @default the replica labels of the Prometheus stores, else ['replica']
   */
  readonly replicaLabels?: string[];
  /**
   * Maximum time a query may run.
   * @default Duration.minutes(2)
   */
  readonly queryTimeout?: Duration;
  /**
   * Maximum number of queries processed at once.
   * @default 20
   */
  readonly maxConcurrentQueries?: number;
  /**
   * Pick downsampled data automatically for wide time ranges.
   * @default true
   */
  readonly autoDownsampling?: boolean;
  /**
   * How often store addresses are resolved again in DNS.
   * @default Duration.seconds(30)
   */
  readonly dnsInterval?: Duration;
  /**
   * Path prefix the UI and API are served under, e.g. `/thanos` behind a path-based Ingress.
   * @default '/'
   */
  readonly routePrefix?: string;
  /** @default 'info' */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** @default 200m/512Mi requested, 1 CPU/2Gi limit */
  readonly resources?: Resources;
}

const HTTP_PORT: NamedPort = { name: 'http', port: 10902 };
const GRPC_PORT: NamedPort = { name: 'grpc', port: 10901 };
const ENDPOINTS_DIR = '/etc/thanos/endpoints';
const ENDPOINTS_FILE = 'endpoints.yaml';
/** Where the Querier mounts the Secrets of TLS files. */
const SECRETS_DIR = '/etc/thanos/secrets';

/**
 * Thanos Query: a stateless Deployment that fans PromQL out to every Store API
 * and merges the answers, de-duplicating HA Prometheus replicas. Stores are
 * listed in an endpoint config file (`--endpoint.sd-config-file`), the
 * successor of the `--store` flag removed in Thanos v0.38; before v0.38,
 * each store is an `--endpoint` flag (which resolves `dnssrv+` addresses too).
 */
export class ThanosQuerier extends WebComponent implements IStoreApi, IQueryApi {
  public readonly replicas: number;
  public readonly webPort = HTTP_PORT;
  /** Name of the Service (ports `http`, `grpc`). */
  public readonly serviceName: string;
  /** The ConfigMap listing the stores (`endpoints.yaml`). */
  public readonly endpointsConfigMap: k8s.KubeConfigMap;
  /** The Deployment: the default child. */
  public readonly deployment: k8s.KubeDeployment;
  /** The LoadBalancer Service of the gRPC Store API, with `grpcLoadBalancer`. */
  public readonly grpcLoadBalancerService?: k8s.KubeService;
  /** The Service (ports `http`, `grpc`). */
  public readonly service: k8s.KubeService;

  private readonly stores: IStoreApi[] = [];
  private readonly remoteStores: RemoteStoreApi[] = [];
  private readonly image: ContainerImage;

  constructor(scope: Construct, id: string, props: ThanosQuerierProps = {}) {
    super(scope, id, { app: 'thanos-query', role: 'query-layer', conventionalPath: '/thanos' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.image = props.image ?? DefaultImages.THANOS;
    this.serviceName = this.identity.name;
    const maxConcurrent = validateCount(this, 'maxConcurrentQueries', props.maxConcurrentQueries ?? 20);
    const queryTimeout = goDurationProp(this, 'queryTimeout', props.queryTimeout ?? Duration.minutes(2));
    const dnsInterval = goDurationProp(this, 'dnsInterval', props.dnsInterval ?? Duration.seconds(30));
    props.replicaLabels?.forEach((l, i) => validateLabelName(this, `replicaLabels[${i}]`, l));
    // Thanos serves /metrics at the root, whatever the route prefix; Deployment pods have no stable names.
    this.serveMetrics(this.replicas, [{ job: this.metricsJob(), port: HTTP_PORT, service: this.serviceName }]);
    props.stores?.forEach(store => this.addStore(store));
    props.remoteStores?.forEach(store => this.addRemoteStore(store));
    checkGrpcExposure(this, props);

    // Fails synth rather than rendering a querier that answers every query with nothing.
    this.node.addValidation({
      validate: () => this.stores.length || this.remoteStores.length ? []
        : [`${this.node.path}: invalid 'stores': a ThanosQuerier needs at least one store (props.stores or addStore(), or remoteStores)`],
    });

    this.endpointsConfigMap = this.createConfigMap('endpoints', { [ENDPOINTS_FILE]: Lazy.any({ produce: () => this.renderEndpoints() }) });

    // Replica labels come from the stores, which addStore() may still add to.
    const replicaLabels = () => this.replicaLabels(props.replicaLabels).map(l => `--query.replica-label=${l}`);
    this.deployment = this.createDeployment(this.replicas, this.podTemplate(this.replicas, { ...props, runAs: props.runAs ?? THANOS_USER }, {
      containers: [container({
        name: 'thanos-query',
        image: this.image,
        args: Lazy.any({ produce: () => this.checkedArgs([
          'query',
          `--log.level=${props.logLevel ?? 'info'}`,
          '--log.format=logfmt',
          `--grpc-address=0.0.0.0:${GRPC_PORT.port}`,
          `--http-address=0.0.0.0:${HTTP_PORT.port}`,
          `--query.timeout=${queryTimeout}`,
          `--query.max-concurrent=${maxConcurrent}`,
          ...(props.autoDownsampling ?? true ? ['--query.auto-downsampling'] : []),
          ...this.storeArgs(),
          `--store.sd-dns-interval=${dnsInterval}`,
          `--web.route-prefix=${this.routePrefix}`,
          // The UI's links and assets: behind a path-based Ingress they need the prefix too.
          ...(this.routePrefix === '/' ? [] : [`--web.external-prefix=${this.routePrefix}`]),
          ...replicaLabels(),
          ...grpcServerTlsArgs(props.grpcServerTls, SECRETS_DIR),
        ]) }),
        ports: [HTTP_PORT, GRPC_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '200m', limit: '1' }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(2) } },
        volumeMounts: Lazy.any({ produce: () => [
          { name: 'endpoints', mountPath: ENDPOINTS_DIR, readOnly: true },
          ...this.tlsFiles(props).mounts.map(m => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: true })),
        ] }),
        // Thanos serves probes and /metrics at the root, whatever the route prefix.
        probes: healthProbes(HTTP_PORT.name),
      })],
      volumes: Lazy.any({ produce: () => [
        { name: 'endpoints', configMap: { name: this.endpointsConfigMap.name } },
        ...this.tlsFiles(props).mounts.map(m => ({ name: m.volumeName, secret: { secretName: m.secretName } })),
      ] }),
    }));

    this.service = this.createService({ ports: [HTTP_PORT, GRPC_PORT] });
    this.requires(() => secretFileNeeds(SECRETS_DIR, this.tlsFiles(props).config, 'the endpoint config and --grpc-server-tls-* flags'));
    if (props.grpcLoadBalancer) this.grpcLoadBalancerService = grpcLoadBalancerService(this, this.identity, props.grpcLoadBalancer, GRPC_PORT);
    this.protect(this.replicas);
  }

  /**
   * Adds a Store API outside this app, with its TLS.
   * @throws if one at that address is already added, or TLS is asked of a Thanos older than v0.42
   */
  public addRemoteStore(store: RemoteStoreApi): void {
    const field = `remoteStores[${this.remoteStores.length}]`;
    if (this.remoteStores.some(s => s.address === store.address)) invalid(this, 'remoteStores', `'${store.address}' is already added`);
    if (store.hasTls && !endpointTlsSupported(this.image)) {
      invalid(this, field, `per-endpoint TLS needs Thanos v0.42 or later (client_config in --endpoint.sd-config-file), the image is ${this.image.tag}`);
    }
    store.render(this, field);
    this.remoteStores.push(store);
    this.connectTo(store.cidr ? NetworkPeer.cidr(store.cidr) : NetworkPeer.anywhere(), [store.egressPort]);
  }

  /** Adds a Store API to fan out to. @throws if it is already added */
  public addStore(store: IStoreApi): void {
    if (store === (this as IStoreApi)) invalid(this, 'stores', 'a querier cannot be its own store');
    if (this.stores.includes(store)) invalid(this, 'stores', `'${store.node.path}' is already added`);
    // Resolve now so a Prometheus without sidecar fails here, at the call that added it.
    void store.storeApiAddress;
    this.stores.push(store);
    this.connectTo(NetworkPeer.component(store), [store.storeApiPort]);
  }

  /** The stores this querier fans out to. */
  public get storeApis(): IStoreApi[] {
    return [...this.stores];
  }

  /** Queriers can be stacked: another querier may use this one as a store. */
  public get storeApiAddress(): string {
    return `dns+${this.serviceHost(this.serviceName)}:${GRPC_PORT.port}`;
  }

  public get storeApiPort(): NamedPort {
    return GRPC_PORT;
  }

  public readonly queryPort = HTTP_PORT;
  public readonly queryApiFlavor = 'Thanos';

  /** The query API in the cluster, under the route prefix. */
  public get queryUrl(): string {
    return `http://${this.serviceHost(this.serviceName)}:${HTTP_PORT.port}${this.routePrefix === '/' ? '' : this.routePrefix}`;
  }


  /** The rendered endpoint config file (for tests). */
  public renderEndpoints(): string {
    return stringify(resolveSecretFiles(this, this.endpointConfig(), SECRETS_DIR).config, { lineWidth: 0 });
  }

  /** The stores of the endpoint config: this app's by address, remote ones with their TLS. */
  private endpointConfig(): Record<string, unknown> {
    return {
      endpoints: [
        ...this.stores.map(s => ({ address: s.storeApiAddress })),
        ...this.remoteStores.map((s, i) => s.render(this, `remoteStores[${i}]`)),
      ],
    };
  }

  /** The TLS files of the remote stores and of the gRPC server, resolved; their Secrets are mounted. */
  private tlsFiles(props: ThanosQuerierProps): { config: unknown; mounts: SecretMount[] } {
    return resolveSecretFiles(this, { endpoints: this.endpointConfig(), grpcServerTls: { ...props.grpcServerTls } }, SECRETS_DIR);
  }

  /**
   * How the stores reach Thanos: the endpoint config file from v0.38.0;
   * before, an `--endpoint` flag per store. Not `--store.sd-files`, which
   * would also resolve `dnssrv+`, but through the store DNS provider, whose
   * results (`thanos_query_store_apis_dns_provider_results`) are not the
   * `thanos_query_endpoints_dns_provider_results` the default rules and
   * v0.38+ report.
   */
  private storeArgs(): string[] {
    if (supportedVersion(this, 'image', this.image, BINARIES.thanos).atLeast(SINCE.thanosEndpointSdConfig)) {
      return [`--endpoint.sd-config-file=${ENDPOINTS_DIR}/${ENDPOINTS_FILE}`];
    }
    return [...this.stores.map(s => s.storeApiAddress), ...this.remoteStores.map(s => s.address)].map(a => `--endpoint=${a}`);
  }

  /** `args`, once each flag is checked against what the image's Thanos release takes. */
  private checkedArgs(args: string[]): string[] {
    return checkedArgs(this, 'image', BINARIES.thanos, supportedVersion(this, 'image', this.image, BINARIES.thanos), args);
  }

  private replicaLabels(explicit: string[] | undefined): string[] {
    if (explicit?.length) return explicit;
    const fromStores = this.stores.map(s => s.replicaLabel).filter((l): l is string => l !== undefined);
    return [...new Set(fromStores.length ? fromStores : ['replica'])];
  }
}
