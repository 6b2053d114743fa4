import { Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { Alertmanager, MonitoringChart, MonitoringIngress, Prometheus } from '../../lib';
import * as testing from '../../lib/testing';
import {
  checkPolicies, containerArgs, findContainer, findObject, findObjects, flagValues, SynthesizedObject, synthObjects,
} from '../../lib/testing';
import * as support from '../support/synth';
import { givenChart, testApp } from '../support/synth';

// The helpers of `cdk8s-prometheus-thanos/testing` that read a synthesized
// chart: what a user's test (and this project's) asserts on.

const deployment = (name: string, namespace?: string): SynthesizedObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { template: { spec: { initContainers: [{ name: 'init', args: ['--wait=5s'] }], containers: [{ name: 'app', args: ['--flag=a', '--flag=b', '--bool'] }] } } },
});

describe('synthObjects', () => {
  test('synthesizes a chart into its objects', () => {
    // GIVEN the whole stack
    const chart = new MonitoringChart(testApp(), 'monitoring', { namespace: 'monitoring' });
    // WHEN synthesized
    const objects = synthObjects(chart);
    // THEN the objects are those `cdk8s synth` writes
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(['Namespace/monitoring', 'StatefulSet/prometheus', 'Deployment/querier']));
  });

  test('runs the construct validations, as synth does', () => {
    // GIVEN an Ingress that exposes nothing, which a validation refuses
    const { chart } = givenChart();
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', allowInsecureHttp: true });
    // WHEN / THEN synthesizing throws the validation's message
    expect(() => synthObjects(chart)).toThrow(/invalid 'routes': the Ingress exposes nothing/);
  });
});

describe('findObject and findObjects', () => {
  const objects = [deployment('a', 'one'), deployment('a', 'two'), deployment('b', 'one'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'one' } }];

  test('find the one object of a kind and name, in a namespace when given', () => {
    // GIVEN / WHEN / THEN
    expect(findObject(objects, 'Deployment', 'b').metadata).toEqual({ name: 'b', namespace: 'one' });
    expect(findObject(objects, 'Deployment', 'a', 'two').metadata).toEqual({ name: 'a', namespace: 'two' });
    expect(findObjects(objects, 'Deployment').map(o => o.metadata.name)).toEqual(['a', 'a', 'b']);
    expect(findObjects(objects, 'ConfigMap')).toEqual([]);
  });

  test('fail naming what there is when the object is absent', () => {
    // GIVEN / WHEN / THEN the objects of the kind are named, or all objects when there is none of the kind
    expect(() => findObject(objects, 'Deployment', 'c')).toThrow("expected one Deployment 'c', found none; the Deployment objects are Deployment/one/a, Deployment/two/a, Deployment/one/b");
    expect(() => findObject(objects, 'ConfigMap', 'a')).toThrow("expected one ConfigMap 'a', found none; there is no ConfigMap among Deployment/one/a,");
    expect(() => findObject(objects, 'Deployment', 'b', 'two')).toThrow("expected one Deployment 'b' in namespace 'two', found none");
  });

  test('fail when the name is ambiguous, asking for the namespace', () => {
    // GIVEN two Deployments `a` WHEN one is asked for without namespace THEN
    expect(() => findObject(objects, 'Deployment', 'a')).toThrow("expected one Deployment 'a', found 2: Deployment/one/a, Deployment/two/a; give the namespace");
  });
});

describe('findContainer, containerArgs and flagValues', () => {
  test('read a container or init container of any workload kind', () => {
    // GIVEN a Deployment, a CronJob and a Pod
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job' }] } } } } } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'main', args: ['x'] }] } };
    // WHEN / THEN
    expect(containerArgs(deployment('d'), 'init')).toEqual(['--wait=5s']);
    expect(findContainer(cronJob, 'job')).toEqual({ name: 'job' });
    expect(containerArgs(cronJob, 'job')).toEqual([]);
    expect(containerArgs(pod, 'main')).toEqual(['x']);
  });

  test('fail naming the containers there are', () => {
    // GIVEN / WHEN / THEN
    expect(() => findContainer(deployment('d'), 'sidecar')).toThrow("Deployment/d has no container 'sidecar'; its containers are 'app', 'init'");
    expect(() => findContainer({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, 'x')).toThrow('Service/s has no pod template');
    const bad = deployment('d');
    bad.spec.template.spec.containers[0].args = ['--ok', 3];
    expect(() => containerArgs(bad, 'app')).toThrow("container 'app' of Deployment/d has args that are not a list of strings: [\"--ok\",3]");
  });

  test('flagValues gives each value of a repeated flag, none of an absent or boolean one', () => {
    // GIVEN the args of a container
    const args = containerArgs(deployment('d'), 'app');
    // WHEN / THEN
    expect(flagValues(args, '--flag')).toEqual(['a', 'b']);
    expect(flagValues(args, '--fla')).toEqual([]);
    expect(flagValues(args, '--bool')).toEqual([]);
    expect(args.includes('--bool')).toBe(true);
    expect(flagValues(['--empty='], '--empty')).toEqual(['']);
  });
});

describe('in a user\'s test', () => {
  test('the Alertmanager peers, the policy check and the flags of a Prometheus read off the synthesized chart', () => {
    // GIVEN the user's chart (as in the README's testing example)
    const chart = new Chart(testApp(), 'user', { namespace: 'monitoring' });
    new Alertmanager(chart, 'alertmanager', { replicas: 3 });
    new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus' });
    // WHEN synthesized and read
    const objects = synthObjects(chart);
    const peers = flagValues(containerArgs(findObject(objects, 'StatefulSet', 'alertmanager'), 'alertmanager'), '--cluster.peer');
    const prefix = flagValues(containerArgs(findObject(objects, 'StatefulSet', 'prometheus'), 'prometheus'), '--web.route-prefix');
    // THEN
    expect(peers).toHaveLength(3);
    expect(prefix).toEqual(['/prometheus']);
    expect(checkPolicies(objects, { requireNetworkPolicies: false })).toEqual([]);
  });

  test('the project\'s own test support forwards to these helpers', () => {
    // GIVEN a chart with a KubeConfigMap WHEN read through test/support/synth and through the helpers
    const { chart } = givenChart();
    new k8s.KubeConfigMap(chart, 'cm', { metadata: { name: 'cm' }, data: { a: '1' } });
    // THEN they agree, and the names the tests import are the helpers'
    expect(support.synth(chart)).toEqual(synthObjects(chart));
    expect(support.find(support.synth(chart), 'ConfigMap', 'cm').data).toEqual({ a: '1' });
    expect(support.flagValues).toBe(testing.flagValues);
    expect(() => support.find([], 'ConfigMap', 'x')).toThrow("expected one ConfigMap 'x', found none");
  });
});
