import { Lazy, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, checkedArgs, supportedVersion } from '../images/versions/support';
import { container } from '../private/container';
import { NamedPort } from '../wiring/interfaces';
import { Resources } from './resources';

/** Options of the config "watch" sidecar. */
export interface ConfigReloaderOptions {
  /**
   * The reloader image (prometheus-operator's prometheus-config-reloader).
   * @default DefaultImages.CONFIG_RELOADER
   */
  readonly image?: ContainerImage;
  /**
   * Requests and limits.
   * @default 10m/25Mi requested, 100m/50Mi limit
   */
  readonly resources?: Resources;
}

/** Where the reloader serves its own `/metrics` and `/healthz`. @internal */
export const CONFIG_RELOADER_PORT: NamedPort = { name: 'reloader-web', port: 8080 };
const RELOADER_PORT = CONFIG_RELOADER_PORT;

/**
 * The config "watch" sidecar: watches the mounted ConfigMap directories and
 * POSTs the reload URL when their content changes (kubelet swaps the `..data`
 * symlink, which the reloader sees as a change of the directory's files).
 * With `owner`, the component whose `configReloader.image` it is, the
 * image's version is checked (supported, and taking every flag rendered).
 * @internal
 */
export function configReloaderContainer(
  options: ConfigReloaderOptions, reloadUrl: () => string, mounts: k8s.VolumeMount[], owner?: IConstruct,
): k8s.Container {
  const image = options.image ?? DefaultImages.CONFIG_RELOADER;
  const version = owner && supportedVersion(owner, 'configReloader.image', image, BINARIES.configReloader);
  const checked = (args: string[]) => owner && version ? checkedArgs(owner, 'configReloader.image', BINARIES.configReloader, version, args) : args;
  return container({
    name: 'config-reloader',
    image: options.image ?? DefaultImages.CONFIG_RELOADER,
    // The reload URL follows the daemon's route prefix, known at synth.
    args: Lazy.any({ produce: () => checked([
      `--listen-address=:${RELOADER_PORT.port}`,
      `--reload-url=${reloadUrl()}`,
      ...mounts.map(m => `--watched-dir=${m.mountPath}`),
    ]) }),
    ports: [RELOADER_PORT],
    resources: options.resources,
    defaultResources: { cpu: { request: '10m', limit: '100m' }, memory: { request: Size.mebibytes(25), limit: Size.mebibytes(50) } },
    volumeMounts: mounts.map(m => ({ ...m, readOnly: true })),
    // A sidecar: the pod is ready when its daemon is; liveness restarts a hung reloader.
    probes: { livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString(RELOADER_PORT.name) }, periodSeconds: 30 } },
  });
}
