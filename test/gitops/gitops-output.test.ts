// The GitOps form of a chart: which file each object lands in, the file names
// (a contract: Argo CD and Flux repos hold them), and that it is cdk8s' synthesis.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, Chart, Lazy, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { EXAMPLES } from '../../examples';
import { GitOpsOutput, KUSTOMIZATION_FILE, KustomizeApp, Prometheus } from '../../lib';
import { tempDir } from '../support/daemon';
import { givenChart, Manifest, testApp } from '../support/synth';

const key = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describe('GitOpsOutput', () => {
  test('the article example: one file per component, named after its construct id', () => {
    // GIVEN the article's chart
    const chart = EXAMPLES.article(testApp());
    // WHEN it is rendered in GitOps form
    const rendered = GitOpsOutput.render(chart);
    // THEN the folder is the chart's id, one file per component in declaration order, then the kustomization
    expect(rendered.folderName).toBe('article');
    expect(rendered.files.map(f => [f.fileName, f.componentPath])).toEqual([
      ['default-deny.yaml', 'article/default-deny'],
      ['alertmanager.yaml', 'article/alertmanager'],
      ['pushgateway.yaml', 'article/pushgateway'],
      ['prometheus.yaml', 'article/prometheus'],
      ['thanos-query.yaml', 'article/thanos-query'],
      ['grafana.yaml', 'article/grafana'],
      ['ingress.yaml', 'article/ingress'],
    ]);
    expect(parse(rendered.kustomization)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['default-deny.yaml', 'alertmanager.yaml', 'pushgateway.yaml', 'prometheus.yaml', 'thanos-query.yaml', 'grafana.yaml', 'ingress.yaml'],
    });
    // AND the Prometheus construct's objects, all of them and only them, are in prometheus.yaml
    const prometheus = rendered.files.find(f => f.fileName === 'prometheus.yaml')!;
    expect((prometheus.objects as Manifest[]).map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/monitoring-prometheus', 'ClusterRoleBinding/monitoring-prometheus', 'ConfigMap/prometheus-config',
      'ConfigMap/prometheus-rules', 'NetworkPolicy/prometheus', 'PodDisruptionBudget/prometheus', 'Service/prometheus',
      'Service/prometheus-headless', 'ServiceAccount/prometheus', 'StatefulSet/prometheus',
    ]);
  });

  test('every example: the file list and kustomization are as recorded', () => {
    // GIVEN every example WHEN rendered THEN its layout is the recorded one (a rename is a change for every GitOps repo)
    const layouts = Object.fromEntries(Object.entries(EXAMPLES).map(([name, build]) => {
      const rendered = GitOpsOutput.render(build(testApp()));
      return [name, { folder: rendered.folderName, files: rendered.files.map(f => f.fileName), kustomization: rendered.kustomization }];
    }));
    expect(layouts).toMatchSnapshot();
  });

  test.each(Object.entries(EXAMPLES))('example %s: every object lands in exactly one file, as cdk8s synthesizes it', (_name, build) => {
    // GIVEN the single-file form of the example
    const singleFile = Testing.synth(build(testApp())) as Manifest[];
    // WHEN a fresh app of the same example is rendered
    const rendered = GitOpsOutput.render(build(testApp()));
    const inFiles = rendered.files.flatMap(f => f.objects as Manifest[]);
    // THEN each object is in one file only, and the files hold exactly the single-file objects
    expect(inFiles).toHaveLength(singleFile.length);
    expect(new Set(inFiles.map(key)).size).toBe(inFiles.length);
    expect(Object.fromEntries(inFiles.map(o => [key(o), o]))).toEqual(Object.fromEntries(singleFile.map(o => [key(o), o])));
    // AND each file's text is its objects, nothing else
    for (const file of rendered.files) {
      expect(file.yaml.split(/^---$/m).map(doc => parse(doc, { version: '1.1' }))).toEqual(file.objects);
    }
  });

  test('file names come from construct ids, not from object names, order or hashes', () => {
    // GIVEN two apps whose Prometheus has the same id but different object names and declaration order
    const first = givenChart();
    new Prometheus(first.chart, 'prometheus', {});
    new ApiObject(first.chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } });
    const second = givenChart();
    new ApiObject(second.chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'renamed-extra' } });
    new Prometheus(second.chart, 'prometheus', { name: 'prom-eu' });
    // WHEN both are rendered
    const names = (chart: Chart) => GitOpsOutput.render(chart).files.map(f => f.fileName).sort();
    // THEN the files are the same
    expect(names(first.chart)).toEqual(['extra.yaml', 'prometheus.yaml']);
    expect(names(second.chart)).toEqual(names(first.chart));
    // AND rendering the same chart again gives the same text
    expect(GitOpsOutput.render(first.chart)).toEqual(GitOpsOutput.render(first.chart));
  });

  test('objects in constructs nested deeper go to their top-level component; Lazy values are resolved', () => {
    // GIVEN a construct of the chart with objects two levels down, one of them with a Lazy value
    const { chart } = givenChart();
    const group = new Construct(new Construct(chart, 'MyGroup'), 'inner');
    new ApiObject(group, 'cm', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lazy' },
      data: { value: Lazy.any({ produce: () => 'resolved' }) },
    } as never);
    // WHEN rendered
    const rendered = GitOpsOutput.render(chart);
    // THEN the object is in the file of the chart's child, its value as cdk8s synthesizes it
    expect(rendered.files.map(f => f.fileName)).toEqual(['mygroup.yaml']);
    expect(rendered.files[0].objects).toEqual([expect.objectContaining({ data: { value: 'resolved' } })]);
    expect(rendered.files[0].objects).toEqual(Testing.synth(chart));
  });

  test('construct validations still fail the output, and nothing is written', () => {
    // GIVEN a chart with a construct whose validation fails
    const { chart } = givenChart();
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    chart.node.addValidation({ validate: () => ['the chart is broken'] });
    const dir = join(tempDir('gitops-invalid'), 'out');
    // WHEN written THEN the validation error of cdk8s' synth, and no folder
    expect(() => GitOpsOutput.writeChart(chart, dir)).toThrow(/Validation failed[\s\S]*the chart is broken/);
    expect(existsSync(dir)).toBe(false);
  });

  test('two components that would share a file name are refused', () => {
    // GIVEN ids that differ only in case, and an id that would be the kustomization
    const a = givenChart();
    new ApiObject(a.chart, 'Extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(a.chart, 'extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    const b = givenChart();
    new ApiObject(b.chart, 'kustomization', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    // WHEN rendered THEN an error naming the construct and the clash
    expect(() => GitOpsOutput.render(a.chart)).toThrow('test/extra: its GitOps file would be extra.yaml, as that of test/Extra; give one of them another id');
    expect(() => GitOpsOutput.render(b.chart)).toThrow("test/kustomization: its GitOps file would be kustomization.yaml, the chart's kustomization");
  });

  test('ids are lowercased into file names, and an id with no letter or digit is refused', () => {
    // GIVEN a component id with capitals and spaces, and one of punctuation only
    const a = givenChart();
    new ApiObject(a.chart, 'My Extra Objects', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const b = givenChart();
    new ApiObject(b.chart, '--', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    // WHEN rendered THEN a DNS-like file name, or an error naming the construct
    expect(GitOpsOutput.render(a.chart).files.map(f => f.fileName)).toEqual(['my-extra-objects.yaml']);
    expect(() => GitOpsOutput.render(b.chart)).toThrow("test/--: '--' gives no file or folder name for the GitOps output");
  });

  test('writing again removes the files of components that are gone, and only those', () => {
    // GIVEN a folder written from a chart with components a and b, and a file of the user's
    const dir = tempDir('gitops-rewrite');
    const before = givenChart();
    new ApiObject(before.chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(before.chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    GitOpsOutput.writeChart(before.chart, dir);
    writeFileSync(join(dir, 'notes.yaml'), 'mine: true\n');
    // WHEN the chart without b is written there
    const after = givenChart();
    new ApiObject(after.chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    GitOpsOutput.writeChart(after.chart, dir);
    // THEN b.yaml is gone, the user's file is not
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', KUSTOMIZATION_FILE, 'notes.yaml']);
    expect(parse(readFileSync(join(dir, KUSTOMIZATION_FILE), 'utf8')).resources).toEqual(['a.yaml']);
  });

  test('a kustomization.yaml written by hand is never taken as a list of files to remove', () => {
    // GIVEN a folder with a hand-written kustomization listing a file
    const dir = tempDir('gitops-hand-written');
    writeFileSync(join(dir, KUSTOMIZATION_FILE), 'resources:\n  - b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'kind: ConfigMap\n');
    const { chart } = givenChart();
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    // WHEN a chart is written there THEN b.yaml stays
    GitOpsOutput.writeChart(chart, dir);
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml', KUSTOMIZATION_FILE]);
  });
});

describe('KustomizeApp', () => {
  test('synth() writes <outdir>/<chart>/ for each chart, and nothing when a validation fails', () => {
    // GIVEN an app with two examples
    const outdir = tempDir('kustomize-app');
    const app = new KustomizeApp({ outdir });
    EXAMPLES.minimal(app);
    EXAMPLES.article(app);
    // WHEN synthesized
    app.synth();
    // THEN one folder per chart, each with its components and kustomization
    expect(readdirSync(outdir).sort()).toEqual(['article', 'minimal']);
    expect(readdirSync(join(outdir, 'minimal')).sort()).toEqual([
      'alertmanager.yaml', 'default-deny.yaml', 'kube-state-metrics.yaml', KUSTOMIZATION_FILE, 'namespace.yaml', 'node-exporter.yaml',
      'prometheus.yaml', 'pushgateway.yaml', 'querier.yaml',
    ]);

    // AND GIVEN an app one of whose charts fails validation WHEN synthesized THEN it throws before writing
    const failing = tempDir('kustomize-app-failing');
    const bad = new KustomizeApp({ outdir: join(failing, 'dist') });
    EXAMPLES.minimal(bad);
    new Chart(bad, 'broken').node.addValidation({ validate: () => ['broken chart'] });
    expect(() => bad.synth()).toThrow(/broken chart/);
    expect(existsSync(join(failing, 'dist'))).toBe(false);
  });

  test('two charts that would share a folder are refused', () => {
    // GIVEN charts whose ids differ only in case
    const app = new KustomizeApp({ outdir: tempDir('kustomize-app-clash') });
    new Chart(app, 'Stack');
    new Chart(app, 'stack');
    // WHEN synthesized THEN an error naming the charts
    expect(() => app.synth()).toThrow('stack: its GitOps folder would be stack, as that of Stack; give one of the charts another id');
  });
});
