import { workloadRules } from '../../lib/policy/workload-rules';
import { DIGEST, Obj } from './policy-fixture';
import { Breakage, cachePod, init, obj, testRuleFamily, Variant, web } from './policy-test-helpers';

// The image, resource and probe rules of lib/policy/workload-rules.ts:
// breakages of the compliant manifests that make each rule fire and variants
// that still pass.

const BREAKAGES: Breakage[] = [
  ['image-pinned-tag', 'the latest tag', o => { web(o).image = 'example.com/web:latest'; }],
  ['image-pinned-tag', 'no tag behind a registry port', o => { web(o).image = 'registry:5000/web'; }],
  ['image-pull-policy', 'Always on a tag', o => { web(o).imagePullPolicy = 'Always'; }],
  ['image-pull-policy', 'no pull policy', o => { delete init(o).imagePullPolicy; }],
  ['container-resources', 'no memory limit on an init container', o => { delete init(o).resources.limits.memory; }],
  ['container-resources', 'no cpu request', o => { delete web(o).resources.requests.cpu; }],
  ['container-liveness-probe', 'no liveness probe', o => { delete web(o).livenessProbe; }],
  ['container-liveness-probe', 'a native sidecar without liveness probe', o => { init(o).restartPolicy = 'Always'; }],
  ['container-readiness-probe', 'a Service-targeted container without readiness probe', o => { delete web(o).readinessProbe; }],
  ['container-readiness-probe', 'a Service targets the sidecar port by number', o => {
    obj(o, 'Service', 'web').spec.ports.push({ name: 'metrics', port: 9533, targetPort: 9533 });
  }],
];

const VARIANTS: Variant[] = [
  ['a tag and a digest, pulled Always', o => { web(o).image = `example.com/web:v1@${DIGEST}`; web(o).imagePullPolicy = 'Always'; }],
  ['an image on a registry with a port', o => { web(o).image = 'registry:5000/web:v1'; }],
  ['a bare Pod with restartPolicy Never needs no probes', o => {
    o.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once', namespace: 'apps', labels: { app: 'once' } },
      spec: { ...structuredClone(cachePod(o)), restartPolicy: 'Never', containers: cachePod(o).containers.map((c: Obj) => ({ ...c, livenessProbe: undefined })) } });
  }],
];

testRuleFamily('image, resource and probe', workloadRules, BREAKAGES, VARIANTS);
