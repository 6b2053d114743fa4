import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';

/** A synthesized Kubernetes object. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

/**
 * An app for tests. `Testing.app()` makes a new temp folder per app (thousands
 * per run, never removed); tests synthesize in memory, so one shared folder,
 * never written to, is enough.
 */
export function testApp(): App {
  return Testing.app({ outdir: join(tmpdir(), 'cdk8s-prometheus-thanos-test-outdir') });
}

/** A fresh app and a Chart in namespace `monitoring`, the GIVEN of most tests. */
export function givenChart(namespace = 'monitoring'): { app: App; chart: Chart } {
  const app = testApp();
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

/** Synthesizes a chart (running construct validations) into plain objects. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The one object of `kind` named `name`; fails loudly when absent or ambiguous. */
export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const hits = manifests.filter(m => m.kind === kind && m.metadata.name === name);
  if (hits.length !== 1) {
    throw new Error(`expected one ${kind} '${name}', found ${hits.length}: ${manifests.map(m => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  }
  return hits[0];
}

/** All objects of `kind`. */
export function all(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter(m => m.kind === kind);
}

/** A container of a workload's pod template. */
export function container(workload: Manifest, name: string): any {
  const c = workload.spec.template.spec.containers.find((x: { name?: string }) => x.name === name);
  if (!c) throw new Error(`${workload.kind}/${workload.metadata.name} has no container '${name}'`);
  return c;
}

/** The value of `--flag=` in args, or undefined; all values when the flag repeats. */
export function flagValues(args: string[], flag: string): string[] {
  return args.filter(a => a.startsWith(`${flag}=`)).map(a => a.slice(flag.length + 1));
}
