import { Duration, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { SecretMount } from '../config/common/secret-mounts';
import { needsExpandExternalLabelsFlag, RetentionLimits, retentionInConfigFile } from '../config/prometheus/tsdb';
import { invalid } from '../errors';
import { ContainerImage } from '../images/container-image';
import { BINARIES, checkedArgs, supportedVersion } from '../images/versions/support';
import { configReloaderContainer, ConfigReloaderOptions } from '../pod/config-reloader';
import { StorageOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { container } from '../private/container';
import { promDurationProp } from '../private/durations';
import { PodContent } from '../private/pod-template';
import { healthProbes, joinPath } from '../private/probes';
import { NamedPort } from '../wiring/interfaces';
import { RULES_DIR } from './prometheus-config';
import { thanosSidecar, ThanosSidecarOptions } from './thanos-sidecar';

/** @internal */
export const PROMETHEUS_CONFIG_FILE = 'prometheus.yml';
/** @internal */
export const PROMETHEUS_RULES_FILE = 'rules.yaml';
const CONFIG_DIR = '/etc/prometheus/config';
const DATA_DIR = '/prometheus';

/** The props of {@link Prometheus} that shape its pod. */
export interface PrometheusPodOptions {
  /**
   * How long to keep data locally.
   * @default Duration.days(15)
   */
  readonly retention?: Duration;
  /**
   * Most disk the TSDB may use before the oldest blocks are deleted, whatever
   * their age. Keeps a full volume from crash-looping Prometheus.
   * @default 85% of the volume (`storage.size`)
   */
  readonly retentionSize?: Size;
  /**
   * Volume of each replica's TSDB.
   * @default 50 GiB on the default StorageClass
   */
  readonly storage?: StorageOptions;
  /**
   * Serve the TSDB admin API (`/api/v1/admin/*`: delete series, snapshots).
   * @default false
   */
  readonly enableAdminApi?: boolean;
  /** The Thanos sidecar. @default enabled, without object storage */
  readonly thanos?: ThanosSidecarOptions;
  /** The config watch sidecar. @default the default reloader */
  readonly configReloader?: ConfigReloaderOptions;
  /** @default 500m/2Gi requested, 2 CPU/4Gi limit */
  readonly resources?: Resources;
  /**
   * How long Kubernetes waits after SIGTERM before it kills the pod;
   * Prometheus flushes its head block and WAL meanwhile.
   * @default Duration.minutes(10)
   */
  readonly terminationGracePeriod?: Duration;
}

/** The size of a Prometheus volume when `storage.size` is not given. @internal */
export const PROMETHEUS_VOLUME_SIZE = Size.gibibytes(50);

/** Retention by time and by size (85% of the volume unless given), rendered. @internal */
export function retentionLimits(scope: IConstruct, props: PrometheusPodOptions): RetentionLimits {
  return {
    time: promDurationProp(scope, 'retention', props.retention ?? Duration.days(15)),
    size: retentionSize(scope, props.retentionSize, props.storage?.size ?? PROMETHEUS_VOLUME_SIZE),
  };
}

/** What the Prometheus pod is made of. @internal */
export interface PrometheusPodInput {
  /** The Prometheus: errors about its images name it. */
  readonly scope: IConstruct;
  readonly props: PrometheusPodOptions;
  readonly image: ContainerImage;
  readonly retention: RetentionLimits;
  readonly serviceAccountName: string;
  readonly configMapName: string;
  readonly rulesConfigMapName: string;
  readonly webPort: NamedPort;
  /** The route prefix, known at synth time (an Ingress may give it after construction). */
  readonly routePrefix: () => string;
  /** The public URL; known at synth time, once an Ingress has exposed it. */
  readonly externalUrl: () => string | undefined;
  /** The Secrets the config's `*_file` fields refer to; known at synth time. */
  readonly secretMounts: () => SecretMount[];
  /** Whether the Thanos sidecar runs. */
  readonly sidecar: boolean;
}

const DATA_MOUNT: k8s.VolumeMount = { name: 'data', mountPath: DATA_DIR };
const CONFIG_MOUNTS: k8s.VolumeMount[] = [{ name: 'config', mountPath: CONFIG_DIR }, { name: 'rules', mountPath: RULES_DIR }];

/**
 * The Prometheus pod: Prometheus, the config reloader that POSTs its
 * `/-/reload`, and the Thanos sidecar that calls its API below the route prefix.
 * @internal
 */
export function prometheusPod(input: PrometheusPodInput): PodContent {
  const { props, webPort, routePrefix } = input;
  const local = `http://127.0.0.1:${webPort.port}`;
  const sidecar = input.sidecar ? thanosSidecar(props.thanos ?? {}, () => `${local}${routePrefix() === '/' ? '' : routePrefix()}`, DATA_MOUNT, input.scope) : undefined;
  return {
    serviceAccountName: input.serviceAccountName,
    terminationGracePeriodSeconds: (props.terminationGracePeriod ?? Duration.minutes(10)).toSeconds(),
    containers: [
      prometheusContainer(input),
      configReloaderContainer(props.configReloader ?? {}, () => `${local}${joinPath(routePrefix(), '/-/reload')}`, CONFIG_MOUNTS, input.scope),
      ...(sidecar ? [sidecar.container] : []),
    ],
    volumes: Lazy.any({ produce: () => [
      { name: 'config', configMap: { name: input.configMapName } },
      { name: 'rules', configMap: { name: input.rulesConfigMapName } },
      ...(sidecar?.volumes ?? []),
      ...input.secretMounts().map(m => ({ name: m.volumeName, secret: { secretName: m.secretName } })),
    ] }),
  };
}

function prometheusContainer(input: PrometheusPodInput): k8s.Container {
  const { webPort, routePrefix } = input;
  return container({
    name: 'prometheus',
    image: input.image,
    args: Lazy.any({ produce: () => prometheusFlags(input) }),
    env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    ports: [webPort],
    resources: input.props.resources,
    defaultResources: { cpu: { request: '500m', limit: '2' }, memory: { request: Size.gibibytes(2), limit: Size.gibibytes(4) } },
    volumeMounts: Lazy.any({ produce: () => [
      ...CONFIG_MOUNTS.map(m => ({ ...m, readOnly: true })),
      DATA_MOUNT,
      ...input.secretMounts().map(m => ({ name: m.volumeName, mountPath: m.mountPath, readOnly: true })),
    ] }),
    probes: {
      ...healthProbes(webPort.name, routePrefix),
      // WAL replay after a crash can take minutes; do not kill it meanwhile.
      startupProbe: {
        httpGet: { path: Lazy.any({ produce: () => joinPath(routePrefix(), '/-/ready') }), port: k8s.IntOrString.fromString(webPort.name) },
        periodSeconds: 15,
        failureThreshold: 60,
      },
    },
  });
}

/**
 * The flags of the Prometheus container, each only where the image's version
 * understands it, and each checked against what that version takes.
 */
function prometheusFlags(input: PrometheusPodInput): string[] {
  const { image, retention } = input;
  const version = supportedVersion(input.scope, 'image', image, BINARIES.prometheus);
  const externalUrl = input.externalUrl();
  return checkedArgs(input.scope, 'image', BINARIES.prometheus, version, [
    `--config.file=${CONFIG_DIR}/${PROMETHEUS_CONFIG_FILE}`,
    `--storage.tsdb.path=${DATA_DIR}`,
    ...(retentionInConfigFile(image) ? [] : [
      `--storage.tsdb.retention.time=${retention.time}`,
      `--storage.tsdb.retention.size=${retention.size}`,
    ]),
    ...(needsExpandExternalLabelsFlag(image) ? ['--enable-feature=expand-external-labels'] : []),
    `--web.listen-address=:${input.webPort.port}`,
    // Needed by the config watch sidecar's POST /-/reload.
    '--web.enable-lifecycle',
    `--web.route-prefix=${input.routePrefix()}`,
    ...(externalUrl ? [`--web.external-url=${externalUrl}`] : []),
    ...(input.props.enableAdminApi ? ['--web.enable-admin-api'] : []),
    // The sidecar uploads each block once; local compaction would make it upload overlapping blocks.
    ...(input.props.thanos?.objectStorage ? ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h'] : []),
  ]);
}

/** `--storage.tsdb.retention.size` in Prometheus' base-2 units (`MB` is MiB): the prop, or 85% of the volume. */
/** @internal */
export function retentionSize(scope: IConstruct, size: Size | undefined, volume: Size): string {
  const volumeMib = volume.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
  const mib = size ? size.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }) : Math.floor(volumeMib * 0.85);
  if (mib < 1) invalid(scope, 'retentionSize', 'must be at least 1 MiB');
  if (mib > volumeMib) invalid(scope, 'retentionSize', `${mib}MiB is more than the ${volumeMib}MiB volume`);
  return `${mib}MB`;
}

