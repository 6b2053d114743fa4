import { Size, SizeRoundingBehavior } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import * as k8s from '../imports/k8s';

/**
 * Requests and limits, typed as in cdk8s-plus (`Cpu.millis(…)`, `Size.mebibytes(…)`).
 */
export type Resources = kplus.ContainerResources;

function quantity(size: Size): k8s.Quantity {
  return k8s.Quantity.fromString(`${size.toMebibytes()}Mi`);
}

/**
 * Converts cdk8s-plus style resources to the Kubernetes shape. Missing parts of
 * `resources` fall back to `defaults` one by one, so a user can raise a memory
 * limit without restating the CPU request.
 */
export function renderResources(resources: Resources | undefined, defaults: Resources): k8s.ResourceRequirements {
  const cpu = { ...defaults.cpu, ...resources?.cpu };
  const memory = { ...defaults.memory, ...resources?.memory };
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  if (cpu.request) requests.cpu = k8s.Quantity.fromString(cpu.request.amount);
  if (cpu.limit) limits.cpu = k8s.Quantity.fromString(cpu.limit.amount);
  if (memory.request) requests.memory = quantity(memory.request);
  if (memory.limit) limits.memory = quantity(memory.limit);
  return { requests, limits };
}

/** Storage size in whole GiB or MiB, as a PVC request wants it. */
export function storageQuantity(size: Size): k8s.Quantity {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(gib) ? k8s.Quantity.fromString(`${gib}Gi`) : quantity(size);
}
