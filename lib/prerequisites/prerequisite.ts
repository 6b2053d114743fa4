/*
 * What a chart needs in the cluster before its YAML is applied: the types of
 * Prerequisites.of (prerequisites.ts) and of what constructs declare.
 */

/**
 * The kind of object a chart needs but does not create. The order is the
 * order of the list: namespaces and cluster-wide classes first, then the
 * objects in namespaces.
 */
export enum PrerequisiteKind {
  /** A namespace the chart's objects are created in, or where a peer of its NetworkPolicies runs. */
  NAMESPACE = 'Namespace',
  /** The StorageClass of PersistentVolumeClaims ({@link DEFAULT_CLASS}: the cluster's default one). */
  STORAGE_CLASS = 'StorageClass',
  /** The IngressClass of an Ingress ({@link DEFAULT_CLASS}: the cluster's default one). */
  INGRESS_CLASS = 'IngressClass',
  /** The PriorityClass of pods. */
  PRIORITY_CLASS = 'PriorityClass',
  /** The RuntimeClass of pods. */
  RUNTIME_CLASS = 'RuntimeClass',
  /** A ServiceAccount pods run as. */
  SERVICE_ACCOUNT = 'ServiceAccount',
  /** A Secret pods mount or read, an Ingress's TLS certificate or auth file. */
  SECRET = 'Secret',
  /** A ConfigMap pods mount or read. */
  CONFIG_MAP = 'ConfigMap',
  /** A claim pods mount by name. */
  PERSISTENT_VOLUME_CLAIM = 'PersistentVolumeClaim',
}

/** The kinds that live in a namespace; the others are cluster-wide. */
export const NAMESPACED_KINDS: ReadonlySet<PrerequisiteKind> = new Set([
  PrerequisiteKind.SERVICE_ACCOUNT, PrerequisiteKind.SECRET, PrerequisiteKind.CONFIG_MAP, PrerequisiteKind.PERSISTENT_VOLUME_CLAIM,
]);

/**
 * The name of a StorageClass or IngressClass prerequisite that is the
 * cluster's default one: a claim without `storageClassName` (an Ingress
 * without `ingressClassName`) needs a class marked as the default.
 */
export const DEFAULT_CLASS = '(default)';

/** One object that must exist before a chart is applied. */
export interface Prerequisite {
  /** What kind of object. */
  readonly kind: PrerequisiteKind;
  /** Its name; {@link DEFAULT_CLASS} for the cluster's default StorageClass or IngressClass. */
  readonly name: string;
  /**
   * Its namespace, for the namespaced kinds (Secret, ConfigMap,
   * ServiceAccount, PersistentVolumeClaim).
   * @default undefined: cluster-wide, or (namespaced kind of a Chart without namespace) the namespace the YAML is applied to
   */
  readonly namespace?: string;
  /** The keys the chart reads (Secrets, ConfigMaps), sorted; empty when it reads the whole object or keys do not apply. */
  readonly keys: string[];
  /** Construct paths of what needs it: the components, the Ingress, or the Chart itself. */
  readonly neededBy: string[];
  /** What it is needed for, one line per distinct reason (the `why` of {@link reasons}). */
  readonly why: string[];
  /** Each distinct reason, with what needs it for that. */
  readonly reasons: PrerequisiteReason[];
}

/** Why a chart needs a {@link Prerequisite}. */
export interface PrerequisiteReason {
  /** What it is needed for. */
  readonly why: string;
  /** Construct paths of what needs it for that. */
  readonly neededBy: string[];
}

/** Something a construct needs in the cluster, declared with `Prerequisites.declare`. */
export interface PrerequisiteNeed {
  /** What kind of object. */
  readonly kind: PrerequisiteKind;
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace (namespaced kinds only).
   * @default the namespace of the declaring construct's Chart
   */
  readonly namespace?: string;
  /**
   * The keys the construct reads.
   * @default none: the whole object, or keys do not apply
   */
  readonly keys?: string[];
  /** What it is needed for, e.g. `file api-secret for receivers[wechat].wechat_configs[0].api_secret_file in alertmanager.yml`. */
  readonly why: string;
}

/**
 * A need, or a function that returns needs when the list is made: for what
 * is only known once the construct is complete (e.g. the Secrets of a config
 * that scrape jobs are added to after construction).
 */
export type PrerequisiteDeclaration = PrerequisiteNeed | (() => PrerequisiteNeed[]);
