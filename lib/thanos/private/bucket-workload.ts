import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { ComponentIdentity } from '../../private/identity';
import { ContainerImage } from '../../images/container-image';
import { ObjectStorage } from '../object-storage';
import { dataClaimTemplate, podTemplate, StorageOptions } from '../../private/pod-template';
import { healthProbes } from '../../private/probes';
import { ResourceDefaults, renderResources, Resources } from '../../pod/resources';
import { SpreadOptions } from '../../pod/scheduling';
import { restrictedContainerSecurityContext, RunAs, THANOS_USER } from '../../pod/security';
import { DefaultImages } from '../../images/default-images';
import { NamedPort } from '../../wiring/interfaces';

/** What the store gateway and the compactor have in common: a Thanos StatefulSet reading a bucket. */
export interface ThanosWorkloadSpec {
  readonly identity: ComponentIdentity;
  readonly headlessServiceName: string;
  readonly replicas: number;
  readonly args: string[];
  readonly ports: NamedPort[];
  readonly objectStorage: ObjectStorage;
  readonly dataDir: string;
  readonly storage: StorageOptions;
  readonly defaultStorageSize: Size;
  readonly image?: ContainerImage;
  readonly resources?: Resources;
  readonly defaultResources: ResourceDefaults;
  readonly runAs?: RunAs;
  readonly spread?: SpreadOptions;
  readonly priorityClassName?: string;
}

/** A StatefulSet running one Thanos subcommand with a local data volume and the objstore Secret. */
export function thanosStatefulSet(scope: Construct, spec: ThanosWorkloadSpec): k8s.KubeStatefulSet {
  const { name, labels, selectorLabels } = spec.identity;
  return new k8s.KubeStatefulSet(scope, 'statefulset', {
    metadata: { name, labels },
    spec: {
      serviceName: spec.headlessServiceName,
      replicas: spec.replicas,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selectorLabels },
      template: podTemplate(scope, spec.identity, spec.replicas, { ...spec, runAs: spec.runAs ?? THANOS_USER }, {
        containers: [{
          name: 'thanos',
          image: (spec.image ?? DefaultImages.THANOS).reference,
          imagePullPolicy: 'IfNotPresent',
          args: [...spec.args, spec.objectStorage.flag, `--data-dir=${spec.dataDir}`],
          ports: spec.ports.map(p => ({ name: p.name, containerPort: p.port })),
          resources: renderResources(spec.resources, spec.defaultResources),
          volumeMounts: [{ name: 'data', mountPath: spec.dataDir }, spec.objectStorage.mount],
          ...healthProbes('http'),
          securityContext: restrictedContainerSecurityContext(),
        }],
        volumes: [spec.objectStorage.volume],
      }),
      volumeClaimTemplates: [dataClaimTemplate(spec.identity, spec.storage, spec.defaultStorageSize)],
    },
  });
}

/** The headless governing Service of a Thanos StatefulSet. */
export function thanosHeadlessService(scope: Construct, identity: ComponentIdentity, name: string, ports: NamedPort[]): k8s.KubeService {
  return new k8s.KubeService(scope, 'headless-service', {
    metadata: { name, labels: identity.labels },
    spec: {
      clusterIp: 'None',
      selector: identity.selectorLabels,
      ports: ports.map(p => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name) })),
    },
  });
}
