import * as k8s from '../../imports/k8s';
import { ContainerImage } from '../images/container-image';
import { renderResources, ResourceDefaults, Resources } from '../pod/resources';
import { restrictedContainerSecurityContext } from '../pod/security';
import { NamedPort } from '../wiring/interfaces';

/** What differs between the containers of the components. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: ContainerImage;
  /** Arguments; may be a `Lazy` that resolves at synth time. */
  readonly args: string[];
  readonly env?: k8s.EnvVar[];
  readonly ports: NamedPort[];
  /** The user's requests and limits, merged over `defaultResources`. */
  readonly resources: Resources | undefined;
  readonly defaultResources: ResourceDefaults;
  readonly volumeMounts?: k8s.VolumeMount[];
  readonly probes: Pick<k8s.Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'>;
}

/**
 * A container with the defaults every container of the library has: a
 * pinned image pulled only when missing, requests and limits, probes, and
 * the "restricted" security context with a read-only root.
 * @internal
 */
export function container(spec: ContainerSpec): k8s.Container {
  // Protocols are written out only where a pod mixes TCP and UDP (Alertmanager's gossip).
  const explicitProtocols = spec.ports.some(p => p.protocol !== undefined);
  return {
    name: spec.name,
    image: spec.image.reference,
    imagePullPolicy: 'IfNotPresent',
    args: spec.args,
    env: spec.env,
    ports: spec.ports.map(p => ({
      name: p.name,
      containerPort: p.port,
      ...(explicitProtocols ? { protocol: p.protocol ?? 'TCP' } : {}),
    })),
    resources: renderResources(spec.resources, spec.defaultResources),
    volumeMounts: spec.volumeMounts,
    ...spec.probes,
    securityContext: restrictedContainerSecurityContext(),
  };
}

/** Service ports that target the container ports of the same name. @internal */
export function servicePorts(ports: NamedPort[]): k8s.ServicePort[] {
  const explicitProtocols = ports.some(p => p.protocol !== undefined);
  return ports.map(p => ({
    name: p.name,
    port: p.port,
    ...(explicitProtocols ? { protocol: p.protocol ?? 'TCP' } : {}),
    targetPort: k8s.IntOrString.fromString(p.name),
  }));
}
