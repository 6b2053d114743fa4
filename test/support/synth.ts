import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { findContainer, findObject, findObjects, SynthesizedContainer, SynthesizedObject, synthObjects } from '../../lib/testing';

// The project's own tests read charts with the helpers users get from
// `cdk8s-prometheus-thanos/testing`; the short names here forward to them.
export { flagValues, containerArgs } from '../../lib/testing';

/** A synthesized Kubernetes object. */
export type Manifest = SynthesizedObject;

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

/** Synthesizes a chart (running construct validations) into plain objects: `synthObjects`. */
export function synth(chart: Chart): Manifest[] {
  return synthObjects(chart);
}

/** The one object of `kind` named `name`; fails loudly when absent or ambiguous: `findObject`. */
export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  return findObject(manifests, kind, name);
}

/** All objects of `kind`: `findObjects`. */
export function all(manifests: Manifest[], kind: string): Manifest[] {
  return findObjects(manifests, kind);
}

/** A container of a workload's pod template: `findContainer`. */
export function container(workload: Manifest, name: string): SynthesizedContainer {
  return findContainer(workload, name);
}
