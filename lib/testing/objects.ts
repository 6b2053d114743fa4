import { Chart, Testing } from 'cdk8s';

/*
 * Reading a synthesized chart in a test: its objects, one of them by kind
 * and name, a container of a workload, and the flags of its command line.
 * Each fails with a message that says what was there instead.
 */

/**
 * A synthesized Kubernetes object as plain JSON: the object `kubectl apply`
 * would get. Its fields below `metadata` are untyped, as in a manifest.
 */
export interface SynthesizedObject {
  /** e.g. `apps/v1`. */
  apiVersion: string;
  /** e.g. `StatefulSet`. */
  kind: string;
  /** Name, namespace, labels and annotations. */
  metadata: {
    /** The object's name. */
    name: string;
    /** Its namespace; none for cluster-scoped objects and charts without a namespace. */
    namespace?: string;
    /** Its labels. */
    labels?: Record<string, string>;
    /** Its annotations. */
    annotations?: Record<string, string>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's fields are untyped JSON
    [field: string]: any;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's fields are untyped JSON
  [field: string]: any;
}

/** A container of a pod template, as plain JSON. */
export interface SynthesizedContainer {
  /** The container's name. */
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest's fields are untyped JSON
  [field: string]: any;
}

/**
 * The objects of `chart`, as `cdk8s synth` writes them: construct validations
 * run first (an invalid prop throws here, as it would at synth).
 */
export function synthObjects(chart: Chart): SynthesizedObject[] {
  return Testing.synth(chart) as SynthesizedObject[];
}

function label(o: SynthesizedObject): string {
  return o.metadata?.namespace ? `${o.kind}/${o.metadata.namespace}/${o.metadata?.name}` : `${o.kind}/${o.metadata?.name}`;
}

/**
 * Every object of `kind` (`StatefulSet`, `ConfigMap`, …), in synthesis order.
 */
export function findObjects(objects: SynthesizedObject[], kind: string): SynthesizedObject[] {
  return objects.filter(o => o.kind === kind);
}

/**
 * The one object of `kind` named `name` (in `namespace`, when given).
 * @throws naming every object there is, when there is none, or when there are several (give the namespace)
 */
export function findObject(objects: SynthesizedObject[], kind: string, name: string, namespace?: string): SynthesizedObject {
  const hits = objects.filter(o => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace));
  const what = `${kind} '${name}'${namespace === undefined ? '' : ` in namespace '${namespace}'`}`;
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) throw new Error(`expected one ${what}, found ${hits.length}: ${hits.map(label).join(', ')}; give the namespace`);
  const sameKind = objects.filter(o => o.kind === kind);
  throw new Error(`expected one ${what}, found none; `
    + (sameKind.length ? `the ${kind} objects are ${sameKind.map(label).join(', ')}` : `there is no ${kind} among ${objects.map(label).join(', ') || 'no objects'}`));
}

/** Where each workload kind keeps its pod spec. */
function podSpecOf(workload: SynthesizedObject): { containers?: SynthesizedContainer[]; initContainers?: SynthesizedContainer[] } | undefined {
  switch (workload.kind) {
    case 'Pod':
      return workload.spec;
    case 'CronJob':
      return workload.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return workload.spec?.template?.spec;
  }
}

/**
 * The container (or init container) `name` of a workload's pod template:
 * a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod.
 * @throws naming the containers there are, when none is called `name`
 */
export function findContainer(workload: SynthesizedObject, name: string): SynthesizedContainer {
  const spec = podSpecOf(workload);
  if (!spec) throw new Error(`${label(workload)} has no pod template`);
  const containers = [...spec.containers ?? [], ...spec.initContainers ?? []];
  const found = containers.find(c => c?.name === name);
  if (!found) throw new Error(`${label(workload)} has no container '${name}'; its containers are ${containers.map(c => `'${c?.name}'`).join(', ') || 'none'}`);
  return found;
}

/**
 * The `args` of container `containerName` of a workload (empty when it has none).
 * @throws like {@link findContainer}
 */
export function containerArgs(workload: SynthesizedObject, containerName: string): string[] {
  const args: unknown = findContainer(workload, containerName).args ?? [];
  if (!Array.isArray(args) || !args.every(a => typeof a === 'string')) {
    throw new Error(`container '${containerName}' of ${label(workload)} has args that are not a list of strings: ${JSON.stringify(args)}`);
  }
  return args;
}

/**
 * The values of `--flag=value` arguments, in order: empty when the flag is
 * absent, several when it repeats (`--cluster.peer=…`). A flag given as
 * `--flag` alone (a boolean) has no value here: test it with `args.includes('--flag')`.
 */
export function flagValues(args: string[], flag: string): string[] {
  return args.filter(a => a.startsWith(`${flag}=`)).map(a => a.slice(flag.length + 1));
}
