import { readFileSync } from 'fs';
import { App, Chart } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import {
  Alertmanager, MonitoringIngress, ObjectStorage, Prometheus, Pushgateway, ThanosCompactor, ThanosQuerier, ThanosStoreGateway,
} from '../../lib';
import { formatsUsed, K8sSchema, QUANTITY, SCHEMA_FILE, SCHEMA_SHA256, sha256Of, strictify } from '../support/k8s-schema';
import { find, givenChart, Manifest, synth, testApp } from '../support/synth';

// Every object this library synthesizes must be accepted by a Kubernetes 1.27
// apiserver. The schema is the upstream one made strict (unknown fields are
// errors, as with `kubeconform -strict`), so a misspelt field cannot slip through
// as it would with `kubectl apply` on a server that silently drops it.

const schema = K8sSchema.load();

/** A chart holding what `build` adds to it, synthesized. */
function alone(build: (chart: Chart) => void): () => Manifest[] {
  return () => {
    const { chart } = givenChart();
    build(chart);
    return synth(chart);
  };
}

function example(build: (app: App) => Chart): () => Manifest[] {
  return () => synth(build(testApp()));
}

/** The synthesized sets of objects that must be valid, with a kind each must contain. */
const CASES: Array<[string, () => Manifest[], string]> = [
  ...Object.entries(EXAMPLES).map(([name, build]): [string, () => Manifest[], string] => [`example ${name}`, example(build), 'StatefulSet']),
  ['ThanosStoreGateway', alone(c => new ThanosStoreGateway(c, 'store', { objectStorage: ObjectStorage.fromSecret('b') })), 'StatefulSet'],
  ['ThanosCompactor', alone(c => new ThanosCompactor(c, 'compactor', { objectStorage: ObjectStorage.fromSecret('b') })), 'StatefulSet'],
  ['Prometheus', alone(c => new Prometheus(c, 'prometheus')), 'StatefulSet'],
  ['Prometheus without Thanos sidecar', alone(c => new Prometheus(c, 'prometheus', { thanos: { enabled: false } })), 'StatefulSet'],
  ['Prometheus uploading to object storage', alone(c => new Prometheus(c, 'prometheus', {
    thanos: { objectStorage: ObjectStorage.fromSecret('thanos-objstore') },
  })), 'StatefulSet'],
  ['ThanosQuerier with a Prometheus store', alone(c => {
    new ThanosQuerier(c, 'querier', { stores: [new Prometheus(c, 'prometheus')] });
  }), 'Deployment'],
  ['Alertmanager with 1 replica', alone(c => new Alertmanager(c, 'alertmanager', { replicas: 1 })), 'StatefulSet'],
  ['Alertmanager with 3 replicas', alone(c => new Alertmanager(c, 'alertmanager', { replicas: 3 })), 'PodDisruptionBudget'],
  ['Pushgateway with persistence', alone(c => new Pushgateway(c, 'pushgateway')), 'StatefulSet'],
  ['Pushgateway without persistence', alone(c => new Pushgateway(c, 'pushgateway', { persistence: { enabled: false } })), 'StatefulSet'],
  ['MonitoringIngress by path with TLS', alone(c => {
    new MonitoringIngress(c, 'ingress', {
      host: 'monitoring.example.com',
      tlsSecretName: 'monitoring-tls',
      annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      prometheus: new Prometheus(c, 'prometheus', { routePrefix: '/prometheus' }),
    });
  }), 'Ingress'],
  ['MonitoringIngress by host over plain HTTP', alone(c => {
    const ingress = new MonitoringIngress(c, 'ingress', { allowInsecureHttp: true });
    ingress.addRoute(new Alertmanager(c, 'alertmanager'), { host: 'alertmanager.local' });
  }), 'Ingress'],
];

describe('the schema copy', () => {
  test('is byte-identical to upstream kubernetes-schemas/v1.27.0/_definitions.json', () => {
    // GIVEN the file in test/schema
    // WHEN hashed
    const sha = sha256Of(SCHEMA_FILE);
    // THEN it is the recorded upstream file
    expect(sha).toBe(SCHEMA_SHA256);
  });

  test('uses only the formats the validator checks', () => {
    // GIVEN the raw definitions
    const raw = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    // WHEN collecting their formats
    const formats = [...formatsUsed(raw)].sort();
    // THEN they are the five K8sSchema registers (a new one would make load() throw)
    expect(formats).toEqual(['byte', 'date-time', 'double', 'int32', 'int64']);
    // AND int-or-string / quantity are oneOf unions, not formats, in this file
    expect(raw.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'])
      .toEqual({ oneOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(raw.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'])
      .toEqual({ oneOf: [{ type: 'string' }, { type: 'number' }] });
  });
});

describe('synthesized objects are valid Kubernetes 1.27 (strict)', () => {
  test.each(CASES)('%s', (_name, build, expectedKind) => {
    // GIVEN the objects of the case
    const objects = build();
    expect(objects.map(o => o.kind)).toContain(expectedKind);
    // WHEN each is validated against the definition of its apiVersion/kind
    const problems = schema.validateAll(objects);
    // THEN none has a problem
    expect(problems).toEqual([]);
  });
});

describe('the validator is strict', () => {
  const prometheus = () => alone(c => new Prometheus(c, 'prometheus'))();

  test('a Service with a misspelt field (spec.clusterIp) fails; the correct spelling passes', () => {
    // GIVEN the headless Service, once as synthesized and once with clusterIP misspelt
    const good = find(prometheus(), 'Service', 'prometheus-headless');
    expect(good.spec.clusterIP).toBe('None');
    const { clusterIP, ...rest } = good.spec;
    const bad = { ...good, spec: { ...rest, clusterIp: clusterIP } };
    // WHEN validated
    // THEN only the misspelt one fails, naming the field
    expect(schema.validate(good)).toEqual([]);
    expect(schema.validate(bad)).toEqual(["Service/monitoring/prometheus-headless: /spec has unknown field 'clusterIp'"]);
  });

  test('a StatefulSet without spec.selector fails', () => {
    // GIVEN the Prometheus StatefulSet without its selector
    const sts = find(prometheus(), 'StatefulSet', 'prometheus');
    const { selector: _, ...spec } = sts.spec;
    // WHEN validated
    const problems = schema.validate({ ...sts, spec });
    // THEN the missing field is reported
    expect(problems).toEqual(["StatefulSet/monitoring/prometheus: /spec is missing required field 'selector'"]);
  });

  test('unknown fields fail at every depth: top level, metadata, deep in the pod template', () => {
    // GIVEN a StatefulSet with three stray fields
    const sts: any = structuredClone(find(prometheus(), 'StatefulSet', 'prometheus'));
    sts.extra = true;
    sts.metadata.label = { a: 'b' };
    sts.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
    // WHEN validated
    const problems = schema.validate(sts);
    // THEN each is reported
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining("/ has unknown field 'extra'"),
      expect.stringContaining("/metadata has unknown field 'label'"),
      expect.stringContaining("/spec/template/spec/containers/0/securityContext has unknown field 'runAsNonroot'"),
    ]));
    expect(problems).toHaveLength(3);
  });

  test('an object with no definition in 1.27 fails', () => {
    // GIVEN a CRD kind, a removed apiVersion, and a kind/apiVersion mix-up
    const objects = [
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'a' } },
      { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'b' } },
      { apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'c' } },
    ];
    // WHEN validated
    // THEN each is a problem
    for (const o of objects) {
      expect(schema.validate(o)).toEqual([expect.stringContaining(`no definition for apiVersion '${o.apiVersion}' kind '${o.kind}'`)]);
    }
  });

  test('types and integer formats are checked', () => {
    // GIVEN a StatefulSet with replicas as a string and a port beyond int32
    const sts: any = structuredClone(find(prometheus(), 'StatefulSet', 'prometheus'));
    sts.spec.replicas = '2';
    sts.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 31;
    // WHEN validated
    const problems = schema.validate(sts);
    // THEN both are reported
    expect(problems).toEqual([
      'StatefulSet/monitoring/prometheus: /spec/replicas must be integer',
      'StatefulSet/monitoring/prometheus: /spec/template/spec/containers/0/ports/0/containerPort must match format "int32"',
    ]);
  });

  test('maps (labels, resource limits) still accept any key', () => {
    // GIVEN a StatefulSet with a new label and an extended resource
    const sts: any = structuredClone(find(prometheus(), 'StatefulSet', 'prometheus'));
    sts.metadata.labels['example.com/team'] = 'sre';
    sts.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = 1;
    // WHEN validated
    // THEN it is valid: additionalProperties: false went only where there are properties
    expect(schema.validate(sts)).toEqual([]);
  });

  test.each([
    ['2Gi', true], ['500m', true], ['1.5', true], ['1e3', true], [2, true], [0.5, true],
    ['2 Gi', false], ['2GB', false], ['Gi', false], ['', false], [true, false],
  ])('quantity %p valid: %p', (size, valid) => {
    // GIVEN a volume claim template requesting `size`
    const sts: any = structuredClone(find(prometheus(), 'StatefulSet', 'prometheus'));
    sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage = size;
    // WHEN validated
    const problems = schema.validate(sts);
    // THEN it passes exactly when the apiserver would parse the quantity
    expect(problems.length === 0).toBe(valid);
    if (typeof size === 'string') expect(QUANTITY.test(size)).toBe(valid);
  });

  test.each([
    ['web', true], [9090, true], [1.5, false], [true, false], [null, false],
  ])('int-or-string targetPort %p valid: %p', (port, valid) => {
    // GIVEN the Prometheus Service targeting `port`
    const svc: any = structuredClone(find(prometheus(), 'Service', 'prometheus'));
    svc.spec.ports[0].targetPort = port;
    // WHEN validated
    // THEN only a string or an integer passes
    expect(schema.validate(svc).length === 0).toBe(valid);
  });
});

describe('schema preparation', () => {
  test('strictify closes objects with properties, leaves maps open and does not mutate its input', () => {
    // GIVEN an object schema, a map, and an object with a nested inline object
    const input = {
      definitions: {
        obj: { type: 'object', properties: { a: { type: 'string' } } },
        map: { type: 'object', additionalProperties: { type: 'string' } },
        nested: { properties: { inner: { type: 'object', properties: { properties: { type: 'string' } } } } },
      },
    };
    const before = JSON.stringify(input);
    // WHEN made strict
    const out = strictify(input) as any;
    // THEN
    expect(out.definitions.obj.additionalProperties).toBe(false);
    expect(out.definitions.map.additionalProperties).toEqual({ type: 'string' });
    expect(out.definitions.nested.additionalProperties).toBe(false);
    expect(out.definitions.nested.properties.inner.additionalProperties).toBe(false);
    // AND a property *named* `properties` is a field, not a keyword
    expect(out.definitions.nested.properties.inner.properties.properties).toEqual({ type: 'string' });
    expect(JSON.stringify(input)).toBe(before);
  });

  test('every API object kind of the file maps to its definition', () => {
    // GIVEN the well-known objects the library emits
    // WHEN looked up by apiVersion/kind
    // THEN each finds its definition
    expect(schema.definitionFor('v1', 'Service')).toBe('io.k8s.api.core.v1.Service');
    expect(schema.definitionFor('apps/v1', 'StatefulSet')).toBe('io.k8s.api.apps.v1.StatefulSet');
    expect(schema.definitionFor('networking.k8s.io/v1', 'Ingress')).toBe('io.k8s.api.networking.v1.Ingress');
    expect(schema.definitionFor('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')).toBe('io.k8s.api.rbac.v1.ClusterRoleBinding');
    expect(schema.definitionFor('apps/v1', 'Service')).toBeUndefined();
  });

  test('validators are compiled once per definition', () => {
    // GIVEN the loaded schema
    // WHEN asking twice for a validator, and loading again
    const first = schema.validator('io.k8s.api.core.v1.Service');
    // THEN the same compiled function and the same schema come back
    expect(schema.validator('io.k8s.api.core.v1.Service')).toBe(first);
    expect(K8sSchema.load()).toBe(schema);
  });
});
