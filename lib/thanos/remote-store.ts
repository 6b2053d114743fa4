import { IConstruct } from 'constructs';
import { SecretFile } from '../config/common/secret-file';
import { InvalidValueError, invalid } from '../errors';
import { ContainerImage } from '../images/container-image';
import { imageVersion } from '../images/versions/support';
import { Version } from '../images/versions/version';
import { NamedPort } from '../wiring/interfaces';

/** The TLS versions Thanos' gRPC client accepts as `min_version`. */
export enum StoreTlsVersion {
  TLS12 = '1.2',
  TLS13 = '1.3',
}

/**
 * TLS of the connection to a remote Store API, as Thanos v0.42's endpoint
 * config has it (`client_config.tls_config` of `cmd/thanos/endpointset.go`).
 * Every file comes from a Secret; the Querier mounts it.
 */
export interface StoreTls {
  /** The CA bundle the store's certificate is checked against. @default the system's roots */
  readonly caFile?: SecretFile;
  /** A client certificate, for stores that require mutual TLS (with `keyFile`). @default none */
  readonly certFile?: SecretFile;
  /** The client certificate's key (with `certFile`). @default none */
  readonly keyFile?: SecretFile;
  /** The name the store's certificate must carry, when it differs from the address's host. @default the address's host */
  readonly serverName?: string;
  /** Skip checking the store's certificate. Only for tests. @default false */
  readonly insecureSkipVerify?: boolean;
  /** @default StoreTlsVersion.TLS13, Thanos' default */
  readonly minVersion?: StoreTlsVersion;
}

/** Options of {@link RemoteStoreApi.at}. */
export interface RemoteStoreOptions {
  /** TLS of the connection. @default plain gRPC */
  readonly tls?: StoreTls;
  /**
   * The addresses the store is reached at, to narrow the Querier's egress.
   * @default any address, on the store's port
   */
  readonly cidr?: string;
}

const HOST_PORT = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*|\d{1,3}(\.\d{1,3}){3}):(\d{1,5})$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * A Store API outside this app: another cluster's Querier or sidecar, a store
 * behind a gRPC Ingress or LoadBalancer. Give it to a ThanosQuerier's
 * `remoteStores`; its egress allows exactly the store's port (and CIDR).
 */
export class RemoteStoreApi {
  /**
   * The Store API at `address` (`host:port`).
   * @throws InvalidValueError if the address is not `host:port`, the CIDR is not one, or a client certificate lacks its key
   */
  public static at(address: string, options: RemoteStoreOptions = {}): RemoteStoreApi {
    const factory = 'RemoteStoreApi.at';
    const match = HOST_PORT.exec(address);
    const port = match ? Number(match[6]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new InvalidValueError(factory, 'address', `'${address}' must be host:port, e.g. thanos-query.eu-west.example.com:443`);
    }
    if (options.cidr !== undefined && !CIDR.test(options.cidr)) {
      throw new InvalidValueError(factory, 'cidr', `'${options.cidr}' must be an IPv4 CIDR, e.g. 203.0.113.0/24`);
    }
    const tls = options.tls;
    if (tls && (tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      throw new InvalidValueError(factory, tls.certFile ? 'tls.keyFile' : 'tls.certFile', 'a client certificate needs its key: set both or neither');
    }
    return new RemoteStoreApi(address, port, options);
  }

  private constructor(
    /** `host:port` of the store. */
    public readonly address: string,
    /** The store's port. */
    public readonly port: number,
    private readonly options: RemoteStoreOptions,
  ) {}

  /** The CIDR the Querier's egress is narrowed to, if any. */
  public get cidr(): string | undefined {
    return this.options.cidr;
  }

  /** Whether the connection uses TLS. */
  public get hasTls(): boolean {
    return this.options.tls !== undefined;
  }

  /** The egress port, for the NetworkGraph. */
  public get egressPort(): NamedPort {
    return { name: `store-${this.port}`, port: this.port };
  }

  /**
   * The endpoint of the endpoint config file (SecretFile values unresolved).
   * @internal
   */
  public render(scope: IConstruct, field: string): Record<string, unknown> {
    const tls = this.options.tls;
    if (!tls) return { address: this.address };
    if (tls.serverName !== undefined && !/^[a-z0-9.-]+$/.test(tls.serverName)) {
      invalid(scope, `${field}.tls.serverName`, `'${tls.serverName}' is not a host name`);
    }
    const clientConfig: Record<string, unknown> = {
      tls_config: {
        enabled: true,
        ...(tls.caFile ? { ca_file: tls.caFile } : {}),
        ...(tls.certFile ? { cert_file: tls.certFile, key_file: tls.keyFile } : {}),
        ...(tls.insecureSkipVerify ? { insecure_skip_verify: true } : {}),
        ...(tls.minVersion ? { min_version: tls.minVersion } : {}),
      },
      ...(tls.serverName ? { server_name: tls.serverName } : {}),
    };
    return { address: this.address, client_config: clientConfig };
  }
}

/**
 * Whether the image's Thanos reads per-endpoint `client_config` from the
 * endpoint config file: from v0.42 (cmd/thanos/endpointset.go).
 * @internal
 */
export function endpointTlsSupported(image: ContainerImage): boolean {
  // The image's version is checked against the supported range elsewhere; unknown here means "refused there".
  return imageVersion(image)?.atLeast(Version.of('v0.42.0')) ?? true;
}
