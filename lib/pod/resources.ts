import { Size, SizeRoundingBehavior } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';

/**
 * Requests and limits, typed as in cdk8s-plus (`Cpu.millis(…)`, `Size.mebibytes(…)`).
 */
export type Resources = kplus.ContainerResources;

function quantity(size: Size): k8s.Quantity {
  return k8s.Quantity.fromString(`${size.toMebibytes()}Mi`);
}

/**
 * A component's default requests and limits. CPU amounts are Kubernetes
 * quantities (`'500m'`, `'2'`): written as strings so the library does not
 * load cdk8s-plus at run time just for its `Cpu` class.
 */
export interface ResourceDefaults {
  readonly cpu: { readonly request: string; readonly limit: string };
  readonly memory: { readonly request: Size; readonly limit: Size };
}

/**
 * Converts cdk8s-plus style resources to the Kubernetes shape. Missing parts of
 * `resources` fall back to `defaults` one by one, so a user can raise a memory
 * limit without restating the CPU request.
 */
export function renderResources(resources: Resources | undefined, defaults: ResourceDefaults): k8s.ResourceRequirements {
  const cpu = {
    request: resources?.cpu?.request?.amount ?? defaults.cpu.request,
    limit: resources?.cpu?.limit?.amount ?? defaults.cpu.limit,
  };
  const memory = { ...defaults.memory, ...resources?.memory };
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  requests.cpu = k8s.Quantity.fromString(cpu.request);
  limits.cpu = k8s.Quantity.fromString(cpu.limit);
  if (memory.request) requests.memory = quantity(memory.request);
  if (memory.limit) limits.memory = quantity(memory.limit);
  return { requests, limits };
}

/** Storage size in whole GiB or MiB, as a PVC request wants it. */
export function storageQuantity(size: Size): k8s.Quantity {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(gib) ? k8s.Quantity.fromString(`${gib}Gi`) : quantity(size);
}
