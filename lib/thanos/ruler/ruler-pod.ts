import { Lazy, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { ContainerImage } from '../../images/container-image';
import { BINARIES, checkedArgs } from '../../images/versions/support';
import { Version } from '../../images/versions/version';
import { configReloaderContainer, ConfigReloaderOptions } from '../../pod/config-reloader';
import { Resources } from '../../pod/resources';
import { container } from '../../private/container';
import { PodContent } from '../../private/pod-template';
import { healthProbes } from '../../private/probes';
import { NamedPort } from '../../wiring/interfaces';
import { BucketAccess } from '../object-storage';
import { labelFlag, RULER_ALERTMANAGERS_FILE, RULER_CONFIG_DIR, RULER_QUERY_FILE } from './ruler-config';

/** The Ruler's Store API. @internal */
export const RULER_GRPC_PORT: NamedPort = { name: 'grpc', port: 10901 };
/** The Ruler's UI, API, health and metrics. @internal */
export const RULER_HTTP_PORT: NamedPort = { name: 'http', port: 10902 };
/** The rule file, in the rules ConfigMap. @internal */
export const RULER_RULES_FILE = 'rules.yaml';
const DATA_DIR = '/var/thanos/rule';
const RULES_DIR = '/etc/thanos/rules';

/** The props of {@link ThanosRuler} the pod reads as they are. @internal */
export interface RulerPodProps {
  readonly configReloader?: ConfigReloaderOptions;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly resources?: Resources;
}

/** What the Ruler pod is made of; what `add…()` may change is read at synth. @internal */
export interface RulerPodInput {
  /** The Ruler: errors about its image name it, and it owns the reloader. */
  readonly scope: IConstruct;
  readonly props: RulerPodProps;
  readonly image: ContainerImage;
  /** The Thanos release of the image, which decides the flags. */
  readonly version: Version;
  /** `--tsdb.retention`, rendered. */
  readonly retention: string;
  /** `--eval-interval`, rendered. */
  readonly evalInterval: string;
  readonly replicaLabel: string;
  readonly externalLabels: Record<string, string>;
  readonly bucket?: BucketAccess;
  readonly rulesConfigMap: string;
  /** The ConfigMap of the query and Alertmanager configs. */
  readonly configMap: string;
  /** Whether alerts go anywhere. */
  readonly hasAlertmanagers: () => boolean;
  /** `--alert.query-url`. */
  readonly alertQueryUrl: () => string;
}

/**
 * The Ruler pod: `thanos rule` with its rule file, its two config files and
 * its bucket, and the config reloader that reloads it when the rules change.
 * @internal
 */
export function rulerPod(input: RulerPodInput): PodContent {
  const { scope, props, bucket } = input;
  const rulesMount: k8s.VolumeMount = { name: 'rules', mountPath: RULES_DIR, readOnly: true };
  return {
    containers: [
      container({
        name: 'thanos-rule',
        image: input.image,
        // Every flag checked against what the image's Thanos release takes.
        args: Lazy.any({ produce: () => checkedArgs(scope, 'image', BINARIES.thanos, input.version, [
          'rule',
          `--log.level=${props.logLevel ?? 'info'}`,
          '--log.format=logfmt',
          `--grpc-address=0.0.0.0:${RULER_GRPC_PORT.port}`,
          `--http-address=0.0.0.0:${RULER_HTTP_PORT.port}`,
          `--data-dir=${DATA_DIR}`,
          `--tsdb.retention=${input.retention}`,
          `--rule-file=${RULES_DIR}/*.yaml`,
          `--eval-interval=${input.evalInterval}`,
          `--query.config-file=${RULER_CONFIG_DIR}/${RULER_QUERY_FILE}`,
          ...(input.hasAlertmanagers() ? [`--alertmanagers.config-file=${RULER_CONFIG_DIR}/${RULER_ALERTMANAGERS_FILE}`] : []),
          `--alert.query-url=${input.alertQueryUrl()}`,
          // The replicas send the same alerts: without their replica label the Alertmanager cluster sees one.
          `--alert.label-drop=${input.replicaLabel}`,
          labelFlag(input.replicaLabel, '$(POD_NAME)', true),
          ...Object.entries(input.externalLabels).map(([name, value]) => labelFlag(name, value)),
          ...(bucket?.args ?? []),
        ]) }),
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, ...bucket?.env ?? []],
        ports: [RULER_GRPC_PORT, RULER_HTTP_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '100m', limit: '1' }, memory: { request: Size.mebibytes(256), limit: Size.gibibytes(1) } },
        volumeMounts: [
          { name: 'data', mountPath: DATA_DIR },
          rulesMount,
          { name: 'config', mountPath: RULER_CONFIG_DIR, readOnly: true },
          ...bucket?.mounts ?? [],
        ],
        probes: healthProbes(RULER_HTTP_PORT.name),
      }),
      configReloaderContainer(props.configReloader ?? {}, () => `http://127.0.0.1:${RULER_HTTP_PORT.port}/-/reload`, [rulesMount], scope),
    ],
    volumes: [
      { name: 'rules', configMap: { name: input.rulesConfigMap } },
      { name: 'config', configMap: { name: input.configMap } },
      ...bucket?.volumes ?? [],
    ],
  };
}
