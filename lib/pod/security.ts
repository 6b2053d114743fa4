import * as k8s from '../../imports/k8s';

/**
 * The user and group a container runs as. The defaults of each component
 * match the `USER` of its upstream image, so files it writes on volumes stay
 * readable across restarts.
 */
export interface RunAs {
  /** @default 65534 (`nobody`, the user of the quay.io/prometheus images) */
  readonly user?: number;
  /** @default 65534 */
  readonly group?: number;
  /**
   * Group that owns mounted volumes.
   * @default the `group`
   */
  readonly fsGroup?: number;
}

export const NOBODY = 65534;

/** The user of the quay.io/thanos/thanos image (`adduser -u 1001 thanos`). */
export const THANOS_USER: RunAs = { user: 1001, group: 1001 };

/**
 * Pod-level security context that satisfies Pod Security "restricted".
 */
export function restrictedPodSecurityContext(runAs: RunAs = {}): k8s.PodSecurityContext {
  const user = runAs.user ?? NOBODY;
  const group = runAs.group ?? NOBODY;
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    fsGroup: runAs.fsGroup ?? group,
    // Only chown volumes when their root does not match yet: large TSDB volumes
    // would otherwise be walked on every pod start.
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level security context for Pod Security "restricted" with a read-only root. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
