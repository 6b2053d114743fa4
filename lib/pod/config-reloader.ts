import { Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { renderResources, Resources } from './resources';
import { restrictedContainerSecurityContext } from './security';
import { DefaultImages } from '../images/default-images';

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

/** Port the reloader serves its own `/metrics` and `/healthz` on. */
export const CONFIG_RELOADER_PORT = 8080;

/**
 * The config "watch" sidecar: watches the mounted ConfigMap directories and
 * POSTs the reload URL when their content changes (kubelet swaps the `..data`
 * symlink, which the reloader sees as a change of the directory's files).
 */
export function configReloaderContainer(
  options: ConfigReloaderOptions, reloadUrl: string, mounts: k8s.VolumeMount[],
): k8s.Container {
  return {
    name: 'config-reloader',
    image: (options.image ?? DefaultImages.CONFIG_RELOADER).reference,
    imagePullPolicy: 'IfNotPresent',
    args: [
      `--listen-address=:${CONFIG_RELOADER_PORT}`,
      `--reload-url=${reloadUrl}`,
      ...mounts.map(m => `--watched-dir=${m.mountPath}`),
    ],
    ports: [{ name: 'reloader-web', containerPort: CONFIG_RELOADER_PORT }],
    resources: renderResources(options.resources, {
      cpu: { request: '10m', limit: '100m' },
      memory: { request: Size.mebibytes(25), limit: Size.mebibytes(50) },
    }),
    volumeMounts: mounts.map(m => ({ ...m, readOnly: true })),
    livenessProbe: { httpGet: { path: '/healthz', port: k8s.IntOrString.fromString('reloader-web') }, periodSeconds: 30 },
    securityContext: restrictedContainerSecurityContext(),
  };
}
