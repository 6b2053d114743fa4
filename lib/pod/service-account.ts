import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { invalid, validateDnsLabel } from '../errors';
import { ComponentIdentity } from '../wiring/interfaces';

/**
 * Annotations of a component's ServiceAccount, e.g. for workload identity:
 * EKS IRSA `eks.amazonaws.com/role-arn`, GKE `iam.gke.io/gcp-service-account`,
 * Azure `azure.workload.identity/client-id`.
 */
export interface ServiceAccountAnnotations {
  /**
   * Annotations, over those the bucket's credentials set (e.g.
   * `S3Credentials.irsa(roleArn)` sets `eks.amazonaws.com/role-arn`).
   * @default none besides the bucket's
   */
  readonly annotations?: Record<string, string>;
}

/**
 * The ServiceAccount a component's pods run as, for an identity outside the
 * cluster: workload identity maps it to a cloud role. Such pods still get no
 * Kubernetes API token: the identity webhooks project a token of their own
 * audience, and the GKE metadata server needs none (see
 * lib/thanos/objstore/credentials.ts).
 */
export interface ServiceAccountOptions extends ServiceAccountAnnotations {
  /**
   * Name of the ServiceAccount (the name a cloud role trusts, e.g.
   * `system:serviceaccount:<namespace>:<name>`).
   * @default the component's name
   */
  readonly name?: string;
  /**
   * Create the ServiceAccount. `false`: it exists (made by eksctl, Terraform,
   * …) and the pods only run as it; its annotations are then its owner's.
   * @default true
   */
  readonly create?: boolean;
}

/** A component's ServiceAccount: its name, and the object unless it exists already. */
export interface ComponentServiceAccount {
  readonly name: string;
  readonly serviceAccount?: k8s.KubeServiceAccount;
}

/**
 * The ServiceAccount of a component's pods (id `service-account`), annotated
 * with `annotations` and then the user's. The ServiceAccount mounts no token
 * by itself; the pod template decides.
 * @internal
 */
export function componentServiceAccount(
  scope: Construct, identity: ComponentIdentity, options: ServiceAccountOptions, annotations: Record<string, string>,
): ComponentServiceAccount {
  const name = options.name === undefined ? identity.name : validateDnsLabel(scope, 'serviceAccount.name', options.name, 63);
  if (options.create === false) {
    if (options.annotations) invalid(scope, 'serviceAccount.annotations', 'are set, but create is false: annotate the existing ServiceAccount where it is made');
    return { name };
  }
  const all = { ...annotations, ...options.annotations };
  const serviceAccount = new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: { name, labels: identity.labels, annotations: Object.keys(all).length ? all : undefined },
    automountServiceAccountToken: false,
  });
  return { name, serviceAccount };
}
