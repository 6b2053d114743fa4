import { IConstruct } from 'constructs';

/**
 * Thrown at synth time when a construct is given a prop it cannot render.
 * The message always starts with the construct path and names the prop, so
 * the user can find the line that caused it.
 */
export class ValidationError extends Error {
  constructor(scope: IConstruct, prop: string, problem: string) {
    super(`${scope.node.path}: invalid '${prop}': ${problem}`);
    this.name = 'ValidationError';
  }
}

/**
 * Thrown when a value is made from bad input outside any construct (by a
 * factory such as `ContainerImage.of`), so there is no construct path to
 * name: the message starts with the factory and names the argument.
 */
export class InvalidValueError extends Error {
  constructor(factory: string, argument: string, problem: string) {
    super(`${factory}: invalid '${argument}': ${problem}`);
    this.name = 'InvalidValueError';
  }
}

/**
 * Throws a {@link ValidationError}; typed `never` so callers can use it in expressions.
 * @internal
 */
export function invalid(scope: IConstruct, prop: string, problem: string): never {
  throw new ValidationError(scope, prop, problem);
}

/** An integer count that must be at least `min`. @internal */
export function validateCount(scope: IConstruct, prop: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    invalid(scope, prop, `must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes object name that is also used in DNS (Services, StatefulSets).
 * At most 52 characters by default: a StatefulSet's pods carry a
 * `controller-revision-hash` label of its name plus 11 characters, which must
 * stay within the 63 of a label value.
 * @internal
 */
export function validateDnsLabel(scope: IConstruct, prop: string, value: string, maxLength = 52): string {
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    invalid(scope, prop, `'${value}' must be a lowercase RFC 1123 label of at most ${maxLength} characters`);
  }
  return value;
}

/** A TCP/UDP port. @internal */
export function validatePort(scope: IConstruct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    invalid(scope, prop, `must be a port between 1 and 65535, got ${value}`);
  }
  return value;
}
