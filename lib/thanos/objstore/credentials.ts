import * as k8s from '../../../imports/k8s';
import { requireMatch, requireObjectName, requireSecretKey } from './validation';

/*
 * How the Thanos components authenticate to the bucket, without a credential
 * in the objstore file: keys of the user's Secret as environment variables
 * (`valueFrom.secretKeyRef`) or a mounted key file, or the pods'
 * ServiceAccount (workload identity).
 *
 * Workload identity needs no Kubernetes API token in the pods
 * (`automountServiceAccountToken` stays false):
 * - EKS IRSA: the pod identity webhook adds a projected token volume of its
 *   own (`aws-iam-token`, audience sts.amazonaws.com) and the AWS_ROLE_ARN /
 *   AWS_WEB_IDENTITY_TOKEN_FILE variables to every pod whose ServiceAccount
 *   carries `eks.amazonaws.com/role-arn`, whatever the pod's automount setting
 *   (aws/amazon-eks-pod-identity-webhook, pkg/handler/handler.go);
 * - GKE: the node's metadata server mints the token of the pod's
 *   ServiceAccount itself;
 * - Azure: the token is projected here (see AzureCredentials.workloadIdentity).
 */

/** What a credential adds to the pods of every component that uses the bucket. @internal */
export interface CredentialAccess {
  /** Fields of the provider's `config:`: `$(VAR)` references only, which Thanos fills from the environment. */
  readonly config: Record<string, string>;
  readonly env: k8s.EnvVar[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
  /** Annotations of the ServiceAccount the pods must run as; empty when they need none. */
  readonly serviceAccountAnnotations: Record<string, string>;
  /** TCP ports the credential mechanism reaches besides the bucket (STS, token endpoints, metadata servers). */
  readonly egressPorts: number[];
}

/** @internal */
export function credentialAccess(access: Partial<CredentialAccess>): CredentialAccess {
  return { config: {}, env: [], volumes: [], mounts: [], serviceAccountAnnotations: {}, egressPorts: [], ...access };
}

function secretEnv(name: string, secretName: string, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/** The instance metadata service of EC2, GCE and Azure VMs (169.254.169.254:80), which the default chains ask. */
const METADATA_PORT = 80;
/** GKE's metadata server on clusters without Dataplane V2 (the node's gke-metadata-server, port 988). */
const GKE_METADATA_SERVER_PORT = 988;
const HTTPS = 443;

/** Keys of the Secret of {@link S3Credentials.fromSecret}. */
export interface S3SecretKeys {
  /** @default 'AWS_ACCESS_KEY_ID' */
  readonly accessKeyId?: string;
  /** @default 'AWS_SECRET_ACCESS_KEY' */
  readonly secretAccessKey?: string;
  /**
   * Key of a session token, for temporary keys.
   * @default none
   */
  readonly sessionToken?: string;
}

const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * Credentials of an S3 bucket. Without them (`credentials` unset) the S3
 * provider uses its default chain: environment, credentials file, then IAM
 * (IRSA set up on the components' `serviceAccount`, EKS Pod Identity, or the
 * node's instance profile).
 */
export class S3Credentials {
  /**
   * Static access keys, keys of Secret `secretName` in the components'
   * namespace. Each container gets them as `AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) through
   * `valueFrom.secretKeyRef`, which the S3 provider reads first when the
   * objstore file has no `access_key` (thanos-io/objstore providers/s3/s3.go;
   * minio-go v7.0.93 pkg/credentials/env_aws.go).
   * @throws InvalidValueError if `secretName` is not a Secret name or a key not a Secret key
   */
  public static fromSecret(secretName: string, keys: S3SecretKeys = {}): S3Credentials {
    const f = 'S3Credentials.fromSecret';
    requireObjectName(f, 'secretName', secretName);
    const env = [
      secretEnv('AWS_ACCESS_KEY_ID', secretName, requireSecretKey(f, 'keys.accessKeyId', keys.accessKeyId ?? 'AWS_ACCESS_KEY_ID')),
      secretEnv('AWS_SECRET_ACCESS_KEY', secretName, requireSecretKey(f, 'keys.secretAccessKey', keys.secretAccessKey ?? 'AWS_SECRET_ACCESS_KEY')),
      ...(keys.sessionToken === undefined ? [] : [secretEnv('AWS_SESSION_TOKEN', secretName, requireSecretKey(f, 'keys.sessionToken', keys.sessionToken))]),
    ];
    return new S3Credentials(credentialAccess({ env }));
  }

  /**
   * EKS IAM Roles for Service Accounts: the components' pods run as a
   * ServiceAccount annotated `eks.amazonaws.com/role-arn: <roleArn>` (one per
   * component, `<name>` by default; the role must trust each of them). EKS'
   * webhook projects a token and sets `AWS_ROLE_ARN` and
   * `AWS_WEB_IDENTITY_TOKEN_FILE`, which the S3 provider's IAM step
   * exchanges at STS (minio-go v7.0.93 pkg/credentials/iam_aws.go), on 443.
   * @throws InvalidValueError if `roleArn` is not the ARN of an IAM role
   */
  public static irsa(roleArn: string): S3Credentials {
    requireMatch('S3Credentials.irsa', 'roleArn', roleArn, IAM_ROLE_ARN, 'the ARN of an IAM role, arn:aws:iam::<account>:role/<name>');
    return new S3Credentials(credentialAccess({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': roleArn }, egressPorts: [HTTPS] }));
  }

  /** The default chain: STS on 443 (IRSA), and the EKS Pod Identity agent and the instance metadata service on 80. @internal */
  public static defaultChain(): CredentialAccess {
    return credentialAccess({ egressPorts: [HTTPS, METADATA_PORT] });
  }

  private constructor(/** @internal */ public readonly access: CredentialAccess) {}
}

const GCP_SERVICE_ACCOUNT = /^[a-z0-9][-a-z0-9]*@[a-z0-9][-a-z0-9.]*\.gserviceaccount\.com$/;
const GCS_KEY_DIR = '/etc/thanos/objstore-credentials';

/**
 * Credentials of a GCS bucket. Without them the GCS provider uses Google's
 * Application Default Credentials: the metadata server (GKE Workload Identity
 * set up on the components' `serviceAccount`, or the node's service account).
 */
export class GcsCredentials {
  /**
   * A service account key (the JSON file), key `key` of Secret `secretName`:
   * mounted read-only in each container, which `GOOGLE_APPLICATION_CREDENTIALS`
   * points Application Default Credentials at (the GCS provider uses them when
   * the objstore file has no `service_account`: thanos-io/objstore
   * providers/gcs/gcs.go).
   * @throws InvalidValueError if `secretName` is not a Secret name or `key` not a Secret key
   */
  public static fromSecret(secretName: string, key = 'service-account.json'): GcsCredentials {
    requireObjectName('GcsCredentials.fromSecret', 'secretName', secretName);
    requireSecretKey('GcsCredentials.fromSecret', 'key', key);
    return new GcsCredentials(credentialAccess({
      env: [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: `${GCS_KEY_DIR}/credentials.json` }],
      volumes: [{ name: 'objstore-credentials', secret: { secretName, items: [{ key, path: 'credentials.json' }] } }],
      mounts: [{ name: 'objstore-credentials', mountPath: GCS_KEY_DIR, readOnly: true }],
    }));
  }

  /**
   * GKE Workload Identity: the components' pods run as a ServiceAccount
   * annotated `iam.gke.io/gcp-service-account: <gcpServiceAccount>` (one per
   * component; the Google service account must let each of them act as it,
   * `roles/iam.workloadIdentityUser`). The GKE metadata server answers on
   * 169.254.169.254:80, and on 988 on clusters without Dataplane V2.
   * @throws InvalidValueError if `gcpServiceAccount` is not a Google service account e-mail
   */
  public static workloadIdentity(gcpServiceAccount: string): GcsCredentials {
    requireMatch('GcsCredentials.workloadIdentity', 'gcpServiceAccount', gcpServiceAccount, GCP_SERVICE_ACCOUNT,
      'the e-mail of a Google service account, <name>@<project>.iam.gserviceaccount.com');
    return new GcsCredentials(credentialAccess({
      serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': gcpServiceAccount },
      egressPorts: [METADATA_PORT, GKE_METADATA_SERVER_PORT],
    }));
  }

  /** Application Default Credentials: the metadata server. @internal */
  public static defaultChain(): CredentialAccess {
    return credentialAccess({ egressPorts: [METADATA_PORT, GKE_METADATA_SERVER_PORT] });
  }

  private constructor(/** @internal */ public readonly access: CredentialAccess) {}
}

/** Options of {@link AzureCredentials.workloadIdentity}. */
export interface AzureWorkloadIdentityOptions {
  /** Client id of the Entra ID application or user-assigned managed identity. */
  readonly clientId: string;
  /** The tenant it is registered in. */
  readonly tenantId: string;
  /** @default 'https://login.microsoftonline.com/' (the public cloud) */
  readonly authorityHost?: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const AZURE_TOKEN_DIR = '/var/run/secrets/azure/tokens';
const AZURE_TOKEN_FILE = 'azure-identity-token';

/**
 * Credentials of an Azure Blob Storage container. Without them the Azure
 * provider uses the SDK's DefaultAzureCredential (environment, workload
 * identity, managed identity through the instance metadata service).
 */
export class AzureCredentials {
  /**
   * The storage account key, key `key` of Secret `secretName`: each container
   * gets it as `AZURE_STORAGE_ACCOUNT_KEY` through `valueFrom.secretKeyRef`,
   * and the objstore file says `storage_account_key: $(AZURE_STORAGE_ACCOUNT_KEY)`,
   * which Thanos fills from the environment when it reads the file (the
   * objstore flags have env substitution: thanos v0.42.4
   * pkg/extkingpin/flags.go; efficientgo/tools extkingpin/pathorcontent.go).
   * @throws InvalidValueError if `secretName` is not a Secret name or `key` not a Secret key
   */
  public static accountKey(secretName: string, key = 'storage-account-key'): AzureCredentials {
    requireObjectName('AzureCredentials.accountKey', 'secretName', secretName);
    requireSecretKey('AzureCredentials.accountKey', 'key', key);
    return new AzureCredentials(credentialAccess({
      config: { storage_account_key: '$(AZURE_STORAGE_ACCOUNT_KEY)' },
      env: [secretEnv('AZURE_STORAGE_ACCOUNT_KEY', secretName, key)],
    }));
  }

  /**
   * Microsoft Entra Workload ID: the components' pods run as a ServiceAccount
   * (one per component, annotated `azure.workload.identity/client-id` and
   * `tenant-id`; the identity needs a federated credential for each), with a
   * projected token of audience `api://AzureADTokenExchange` and the
   * `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_FEDERATED_TOKEN_FILE` and
   * `AZURE_AUTHORITY_HOST` variables that the SDK's workload identity
   * credential reads: what the azure-workload-identity webhook would inject,
   * written here, so no `azure.workload.identity/use` pod label or webhook is
   * needed.
   * @throws InvalidValueError if `clientId` or `tenantId` is not a GUID, or `authorityHost` not an https URL
   */
  public static workloadIdentity(options: AzureWorkloadIdentityOptions): AzureCredentials {
    const f = 'AzureCredentials.workloadIdentity';
    const clientId = requireMatch(f, 'clientId', options.clientId, GUID, 'a GUID');
    const tenantId = requireMatch(f, 'tenantId', options.tenantId, GUID, 'a GUID');
    const authorityHost = requireMatch(f, 'authorityHost', options.authorityHost ?? 'https://login.microsoftonline.com/', /^https:\/\/[^\s/]+\/?$/,
      'an https URL of an Entra ID authority');
    return new AzureCredentials(credentialAccess({
      env: [
        { name: 'AZURE_CLIENT_ID', value: clientId },
        { name: 'AZURE_TENANT_ID', value: tenantId },
        { name: 'AZURE_FEDERATED_TOKEN_FILE', value: `${AZURE_TOKEN_DIR}/${AZURE_TOKEN_FILE}` },
        { name: 'AZURE_AUTHORITY_HOST', value: authorityHost },
      ],
      volumes: [{
        name: 'azure-identity-token',
        projected: { sources: [{ serviceAccountToken: { audience: 'api://AzureADTokenExchange', expirationSeconds: 3600, path: AZURE_TOKEN_FILE } }] },
      }],
      mounts: [{ name: 'azure-identity-token', mountPath: AZURE_TOKEN_DIR, readOnly: true }],
      serviceAccountAnnotations: { 'azure.workload.identity/client-id': clientId, 'azure.workload.identity/tenant-id': tenantId },
      egressPorts: [HTTPS],
    }));
  }

  /** DefaultAzureCredential: Entra ID on 443, managed identity on the instance metadata service. @internal */
  public static defaultChain(): CredentialAccess {
    return credentialAccess({ egressPorts: [HTTPS, METADATA_PORT] });
  }

  private constructor(/** @internal */ public readonly access: CredentialAccess) {}
}
