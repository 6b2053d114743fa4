import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { SecretFile } from '../config/common/secret-file';
import { invalid } from '../errors';
import { ComponentIdentity, IComponent, NamedPort } from '../wiring/interfaces';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';

/** TLS of the Querier's gRPC server (the Store API other Queriers call). */
export interface GrpcServerTls {
  /** The server certificate. */
  readonly certFile: SecretFile;
  /** Its key. */
  readonly keyFile: SecretFile;
  /** Accept only clients with a certificate this CA signed. @default any client, no client certificate asked */
  readonly clientCaFile?: SecretFile;
}

/** A LoadBalancer Service in front of the Querier's gRPC Store API. */
export interface GrpcLoadBalancer {
  /** The source ranges allowed in (Service `loadBalancerSourceRanges` and the NetworkPolicy). */
  readonly cidrs: string[];
  /** Annotations of the Service, for the cloud's load balancer. @default none */
  readonly annotations?: Record<string, string>;
}

/** The props of {@link ThanosQuerier} that serve its Store API to other clusters' Queriers. */
export interface GrpcExposure {
  /**
   * Serve the gRPC Store API over TLS, for Queriers of other clusters that
   * use this one as a store (`--grpc-server-tls-*`); with `clientCaFile`, only
   * clients with a certificate that CA signed are accepted (mutual TLS).
   * @default plain gRPC inside the cluster
   */
  readonly grpcServerTls?: GrpcServerTls;
  /**
   * Also expose the gRPC Store API outside the cluster through a LoadBalancer
   * Service, reachable from `cidrs` only. Needs `grpcServerTls`.
   * @default not exposed
   */
  readonly grpcLoadBalancer?: GrpcLoadBalancer;
}

const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** Refuses a Store API exposed outside the cluster without TLS, or without source ranges. @internal */
export function checkGrpcExposure(scope: Construct, props: GrpcExposure): void {
  if (props.grpcLoadBalancer && !props.grpcServerTls) {
    invalid(scope, 'grpcLoadBalancer', 'exposes the Store API outside the cluster: set grpcServerTls (a client CA too, for mutual TLS)');
  }
  props.grpcLoadBalancer?.cidrs.forEach((cidr, i) => {
    if (!CIDR.test(cidr)) invalid(scope, `grpcLoadBalancer.cidrs[${i}]`, `'${cidr}' must be an IPv4 CIDR`);
  });
  if (props.grpcLoadBalancer && !props.grpcLoadBalancer.cidrs.length) {
    invalid(scope, 'grpcLoadBalancer.cidrs', 'is empty: name the ranges the other clusters\' Queriers call from');
  }
}

/** The `--grpc-server-tls-*` flags, the files under `secretsDir`. @internal */
export function grpcServerTlsArgs(tls: GrpcServerTls | undefined, secretsDir: string): string[] {
  if (!tls) return [];
  return [
    `--grpc-server-tls-cert=${tls.certFile.pathIn(secretsDir)}`,
    `--grpc-server-tls-key=${tls.keyFile.pathIn(secretsDir)}`,
    ...(tls.clientCaFile ? [`--grpc-server-tls-client-ca=${tls.clientCaFile.pathIn(secretsDir)}`] : []),
  ];
}

/**
 * The LoadBalancer Service of `component`'s gRPC port, reachable from the
 * load balancer's source ranges only: its NetworkPolicy admits exactly those.
 * @internal
 */
export function grpcLoadBalancerService(
  component: IComponent & Construct, identity: ComponentIdentity, lb: GrpcLoadBalancer, port: NamedPort,
): k8s.KubeService {
  const service = new k8s.KubeService(component, 'grpc-load-balancer', {
    metadata: { name: `${identity.name}-grpc`, labels: identity.labels, annotations: lb.annotations },
    spec: {
      type: 'LoadBalancer',
      selector: identity.selectorLabels,
      loadBalancerSourceRanges: lb.cidrs,
      ports: [{ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name) }],
    },
  });
  const graph = NetworkGraph.of(component);
  for (const cidr of lb.cidrs) graph.connect(NetworkPeer.cidr(cidr), NetworkPeer.component(component), [port]);
  return service;
}
