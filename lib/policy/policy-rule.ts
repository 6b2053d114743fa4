/*
 * The types shared by the policy check (`checkPolicies` in check-policies.ts)
 * and the rule families of this directory.
 *
 * Manifests are untyped JSON from any source, so the rules read fields
 * defensively (`any` in these files is deliberate: a malformed object must
 * yield a violation or be skipped, never crash the check).
 */

/** One broken rule on one object. */
export interface PolicyViolation {
  /** Id of the broken rule, e.g. `container-read-only-root-filesystem`. */
  readonly rule: string;
  /** The object: `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object: string;
  /** What is wrong, and what to change. */
  readonly message: string;
}

/** What a rule reports; `checkPolicies` adds the rule id. */
export type PolicyFinding = Omit<PolicyViolation, 'rule'>;

/** Options of `checkPolicies`. */
export interface PolicyOptions {
  /**
   * Require a default-deny NetworkPolicy in every namespace that runs pods
   * (rule `namespace-default-deny-network-policy`).
   * @default true
   */
  readonly requireNetworkPolicies?: boolean;
  /**
   * Accept Ingresses whose hosts are not all covered by `tls` (rule
   * `ingress-tls`). This is the only opt-out: no annotation on the Ingress can
   * switch the rule off, so an insecure Ingress never passes by accident.
   * @default false
   */
  readonly allowInsecureIngress?: boolean;
  /**
   * Verbs Roles and ClusterRoles may grant (rule `rbac-read-only-verbs`).
   * @default ['get', 'list', 'watch']
   */
  readonly allowedRbacVerbs?: readonly string[];
  /**
   * Ids of rules not to run, for a deliberate, reviewed exception.
   * @default none
   */
  readonly disabledRules?: readonly string[];
  /**
   * Admit the node exporter's host access (`NODE_EXPORTER_EXCEPTION`): a
   * DaemonSet labelled as this library's node exporter, running only
   * node-exporter images, may mount the host's /proc, /sys and / read-only and
   * use hostNetwork, in a Namespace of its own that enforces "privileged". No
   * other pod or Namespace is excused; false refuses it too.
   * @default true
   */
  readonly nodeExporterException?: boolean;
}

/** A Kubernetes object as plain JSON. */
export interface KubeManifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: any;
}

/** A container or init container of a pod template. */
export interface PolicyContainer {
  readonly name: string;
  /** `initContainer` or `container`, as messages name it. */
  readonly role: 'container' | 'initContainer';
  /** Runs as long as the pod: a regular container of a non-Job pod, or a native sidecar (`restartPolicy: Always`). */
  readonly longRunning: boolean;
  /** The container as written in the manifest. */
  readonly spec: any;
}

/** A pod template of a workload (or a bare Pod), with what the rules need to know about it. */
export interface PolicyPod {
  /** The workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) or Pod. */
  readonly workload: KubeManifest;
  /** `Kind/namespace/name` of the workload. */
  readonly object: string;
  readonly namespace?: string;
  /** Labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** The pod spec as written in the manifest. */
  readonly spec: any;
  /** Desired pod count of a Deployment or StatefulSet (`spec.replicas`, default 1); undefined for other kinds. */
  readonly replicas?: number;
  /** Containers, then init containers. */
  readonly containers: readonly PolicyContainer[];
}

/** Everything a rule may look at. */
export interface PolicyContext {
  readonly manifests: readonly KubeManifest[];
  /** Every pod template of `manifests`. */
  readonly pods: readonly PolicyPod[];
  readonly options: Required<PolicyOptions>;
}

/** One rule of the policy. */
export interface PolicyRule {
  /** Stable id, used in violations and `disabledRules`. */
  readonly id: string;
  /** One line: what the rule requires (and why, where it is not obvious). */
  readonly description: string;
  readonly check: (context: PolicyContext) => PolicyFinding[];
}
