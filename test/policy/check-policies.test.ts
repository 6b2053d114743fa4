import { checkPolicies, POLICY_RULES, PolicyOptions } from '../../lib/policy/check-policies';

// The policy is tested on hand-written manifests, not on the constructs, so a
// rule is shown to work on any chart (the constructs have their own test in
// examples-policy.test.ts).

type Obj = Record<string, any>;

const SECURE_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const PROBE = { httpGet: { path: '/healthz', port: 'http' } };
const WEB_LABELS = { 'app': 'web', 'app.kubernetes.io/part-of': 'demo' };
const CACHE_LABELS = { 'app': 'cache', 'app.kubernetes.io/part-of': 'demo' };
const DIGEST = 'sha256:' + 'a'.repeat(64);

/**
 * A compliant set of manifests that exercises every rule: a replicated
 * Deployment whose ServiceAccount is bound to a read-only Role, a singleton
 * StatefulSet pinned by digest, a CronJob, an Ingress with TLS and a blocked
 * admin path, a ConfigMap using `*_file` credentials, a default-deny policy.
 */
function compliant(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api-reader', namespace: 'apps' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'apps' },
      rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'metrics-reader' },
      rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader', namespace: 'apps' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'api-reader', namespace: 'apps' }],
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: WEB_LABELS },
          spec: {
            serviceAccountName: 'api-reader',
            // Bound by the RoleBinding: it lists pods, so it needs its token.
            automountServiceAccountToken: true,
            securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [{
                  weight: 100,
                  podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } },
                }],
              },
            },
            initContainers: [{
              name: 'init', image: 'example.com/init:v1', imagePullPolicy: 'IfNotPresent',
              resources: RESOURCES, securityContext: SECURE_CONTAINER,
            }],
            containers: [
              {
                name: 'web', image: 'example.com/web:v1.2.3', imagePullPolicy: 'IfNotPresent',
                args: ['--listen=:8080', '--password=$(DB_PASSWORD)'],
                env: [{ name: 'TOKEN_FILE', value: '/etc/token/token' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
                ports: [{ name: 'http', containerPort: 8080 }],
                resources: RESOURCES, securityContext: SECURE_CONTAINER,
                livenessProbe: PROBE, readinessProbe: PROBE,
                volumeMounts: [{ name: 'config', mountPath: '/etc/web' }, { name: 'tmp', mountPath: '/tmp' }],
              },
              {
                // Like the config reloader: its port serves only its own metrics, no Service targets it.
                name: 'reloader', image: 'example.com/reloader:v0.1', imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'reloader-web', containerPort: 9533 }],
                resources: RESOURCES, securityContext: SECURE_CONTAINER, livenessProbe: PROBE,
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'web-config' } }, { name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    // No selector, no Endpoints: the blackhole admin paths are sent to.
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'blocked', namespace: 'apps' }, spec: { ports: [{ name: 'blocked', port: 80 }] } },
    {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'apps' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
    },
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache', namespace: 'apps' },
      spec: {
        replicas: 1,
        serviceName: 'cache',
        selector: { matchLabels: { app: 'cache' } },
        template: {
          metadata: { labels: CACHE_LABELS },
          spec: {
            automountServiceAccountToken: false,
            containers: [{
              // A digest cannot change, so Always is safe (and no tag is needed).
              name: 'cache', image: `example.com/cache@${DIGEST}`, imagePullPolicy: 'Always',
              resources: RESOURCES,
              // Container-level settings instead of pod-level ones are just as restricted.
              securityContext: { ...SECURE_CONTAINER, runAsNonRoot: true, seccompProfile: { type: 'Localhost', localhostProfile: 'cache.json' } },
              livenessProbe: PROBE,
            }],
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'apps' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { 'app': 'backup', 'app.kubernetes.io/part-of': 'demo' } },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
                // A Job ends by design: no probes.
                containers: [{
                  name: 'backup', image: 'example.com/backup:v2', imagePullPolicy: 'IfNotPresent',
                  resources: RESOURCES, securityContext: { ...SECURE_CONTAINER, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
                }],
              },
            },
          },
        },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'apps' },
      spec: {
        tls: [{ hosts: ['*.example.com'], secretName: 'tls' }],
        rules: [{
          host: 'web.example.com',
          http: {
            paths: [
              { path: '/-/reload', pathType: 'Exact', backend: { service: { name: 'blocked', port: { name: 'blocked' } } } },
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } },
            ],
          },
        }],
      },
    },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'apps' },
      data: {
        'web.yml': 'basic_auth:\n  username: admin\n  password_file: /etc/secret/password\ntoken: ""\n',
        'notes.txt': 'Rotate the token: see the runbook.\n',
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'apps' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  ];
}

function obj(objs: Obj[], kind: string, name: string): Obj {
  const hit = objs.find(o => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`no ${kind}/${name} in the fixture`);
  return hit;
}

function podSpec(objs: Obj[], kind: string, name: string): Obj {
  const w = obj(objs, kind, name);
  return kind === 'CronJob' ? w.spec.jobTemplate.spec.template.spec : w.spec.template.spec;
}

function containerOf(objs: Obj[], kind: string, name: string, container: string): Obj {
  const spec = podSpec(objs, kind, name);
  const hit = [...spec.containers, ...(spec.initContainers ?? [])].find((c: Obj) => c.name === container);
  if (!hit) throw new Error(`no container ${container} in ${kind}/${name}`);
  // Fixture containers share constants: give this one its own copies before mutating.
  hit.securityContext = structuredClone(hit.securityContext);
  hit.resources = structuredClone(hit.resources);
  return hit;
}

const web = (o: Obj[]) => containerOf(o, 'Deployment', 'web', 'web');
const init = (o: Obj[]) => containerOf(o, 'Deployment', 'web', 'init');
const webPod = (o: Obj[]) => podSpec(o, 'Deployment', 'web');
const cachePod = (o: Obj[]) => podSpec(o, 'StatefulSet', 'cache');
const ingressPaths = (o: Obj[]) => obj(o, 'Ingress', 'web').spec.rules[0].http.paths;
const webConfig = (o: Obj[]) => obj(o, 'ConfigMap', 'web-config').data;

function ruleIds(objs: Obj[], options?: PolicyOptions): string[] {
  return [...new Set(checkPolicies(objs, options).map(v => v.rule))];
}

/** [rule that must fire, what is wrong, the mutation of the compliant manifests]. */
const BREAKAGES: Array<[string, string, (o: Obj[]) => void]> = [
  ['pod-run-as-non-root', 'neither pod nor container sets runAsNonRoot', o => { delete webPod(o).securityContext.runAsNonRoot; }],
  ['pod-run-as-non-root', 'a container overrides the pod with runAsNonRoot: false', o => { web(o).securityContext.runAsNonRoot = false; }],
  ['pod-run-as-user-not-root', 'the pod runs as uid 0', o => { webPod(o).securityContext.runAsUser = 0; }],
  ['pod-run-as-user-not-root', 'an init container runs as uid 0', o => { init(o).securityContext.runAsUser = 0; }],
  ['container-no-privilege-escalation', 'an init container may escalate', o => { delete init(o).securityContext.allowPrivilegeEscalation; }],
  ['container-drop-all-capabilities', 'capabilities are not dropped', o => { web(o).securityContext.capabilities = { drop: [] }; }],
  ['container-drop-all-capabilities', 'SYS_ADMIN is added', o => { web(o).securityContext.capabilities = { drop: ['ALL'], add: ['SYS_ADMIN'] }; }],
  ['pod-seccomp-profile', 'the pod is Unconfined', o => { webPod(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['pod-seccomp-profile', 'a container overrides the pod with Unconfined', o => { web(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['pod-seccomp-profile', 'no profile anywhere', o => { delete containerOf(o, 'StatefulSet', 'cache', 'cache').securityContext.seccompProfile; }],
  ['container-not-privileged', 'a privileged container', o => { web(o).securityContext.privileged = true; }],
  ['container-read-only-root-filesystem', 'a writable root filesystem', o => { web(o).securityContext.readOnlyRootFilesystem = false; }],
  ['pod-no-host-path', 'a hostPath volume', o => { webPod(o).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }],
  ['pod-no-host-namespaces', 'hostNetwork', o => { webPod(o).hostNetwork = true; }],
  ['pod-no-host-namespaces', 'hostPID', o => { cachePod(o).hostPID = true; }],
  ['container-no-host-port', 'a hostPort', o => { web(o).ports[0].hostPort = 8080; }],
  ['pod-restricted-volume-types', 'an nfs volume', o => { webPod(o).volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }],
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
  ['pod-service-account-token', 'an unbound default ServiceAccount mounts its token', o => { delete cachePod(o).automountServiceAccountToken; }],
  ['pod-service-account-token', 'the binding names another ServiceAccount', o => { obj(o, 'RoleBinding', 'reader').subjects[0].name = 'other'; obj(o, 'ServiceAccount', 'api-reader').metadata.name = 'other'; }],
  ['rbac-read-only-verbs', 'a Role may create', o => { obj(o, 'Role', 'reader').rules[0].verbs.push('create'); }],
  ['rbac-no-secrets', 'a Role reads secrets', o => { obj(o, 'Role', 'reader').rules[0].resources.push('secrets'); }],
  ['rbac-no-wildcards', 'a wildcard verb', o => { obj(o, 'Role', 'reader').rules[0].verbs = ['*']; }],
  ['rbac-no-wildcards', 'a wildcard resource', o => { obj(o, 'Role', 'reader').rules[0].resources = ['*']; }],
  ['rbac-no-wildcards', 'a wildcard apiGroup', o => { obj(o, 'Role', 'reader').rules[0].apiGroups = ['*']; }],
  ['rbac-subject-service-account', 'a subject in the wrong namespace', o => {
    o.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'metrics-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'api-reader', namespace: 'default' }],
    });
  }],
  ['replicated-pod-disruption-budget', 'two replicas without a budget', o => { o.splice(o.indexOf(obj(o, 'PodDisruptionBudget', 'web')), 1); }],
  ['replicated-pod-disruption-budget', 'a budget in another namespace', o => { obj(o, 'PodDisruptionBudget', 'web').metadata.namespace = 'other'; }],
  ['replicated-pod-anti-affinity', 'no anti-affinity', o => { delete webPod(o).affinity; }],
  ['replicated-pod-anti-affinity', 'anti-affinity by zone only', o => {
    webPod(o).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey = 'topology.kubernetes.io/zone';
  }],
  ['replicated-pod-anti-affinity', 'anti-affinity against other pods', o => {
    webPod(o).affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector = { matchLabels: { app: 'db' } };
  }],
  ['pod-disruption-budget-allows-eviction', 'maxUnavailable 0 on replicas', o => { obj(o, 'PodDisruptionBudget', 'web').spec.maxUnavailable = 0; }],
  ['pod-disruption-budget-allows-eviction', 'minAvailable 100% on replicas', o => {
    obj(o, 'PodDisruptionBudget', 'web').spec = { minAvailable: '100%', selector: { matchLabels: { app: 'web' } } };
  }],
  ['pod-disruption-budget-allows-eviction', 'minAvailable 1 on a singleton', o => {
    o.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache', namespace: 'apps' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'cache' } } } });
  }],
  ['namespace-pod-security-restricted', 'a baseline namespace', o => { obj(o, 'Namespace', 'apps').metadata.labels['pod-security.kubernetes.io/enforce'] = 'baseline'; }],
  ['namespace-default-deny-network-policy', 'no NetworkPolicy', o => { o.splice(o.indexOf(obj(o, 'NetworkPolicy', 'default-deny')), 1); }],
  ['namespace-default-deny-network-policy', 'the policy allows ingress', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.ingress = [{}]; }],
  ['namespace-default-deny-network-policy', 'the policy leaves egress open', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.policyTypes = ['Ingress']; }],
  ['namespace-default-deny-network-policy', 'the policy misses some pods', o => { obj(o, 'NetworkPolicy', 'default-deny').spec.podSelector = { matchLabels: { app: 'web' } }; }],
  ['ingress-tls', 'no tls', o => { delete obj(o, 'Ingress', 'web').spec.tls; }],
  ['ingress-tls', 'a wildcard does not cover two labels', o => { obj(o, 'Ingress', 'web').spec.rules[0].host = 'a.web.example.com'; }],
  ['ingress-tls', 'a rule without host', o => { delete obj(o, 'Ingress', 'web').spec.rules[0].host; }],
  ['ingress-no-admin-paths', 'the admin API routed to the app', o => {
    ingressPaths(o).push({ path: '/api/v1/admin/tsdb', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } });
  }],
  ['ingress-no-admin-paths', 'the "blackhole" has hand-written Endpoints', o => {
    o.push({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'blocked', namespace: 'apps' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] });
  }],
  ['configmap-no-inline-credentials', 'an inline password', o => { webConfig(o)['web.yml'] = 'basic_auth:\n  username: admin\n  password: hunter2\n'; }],
  ['configmap-no-inline-credentials', 'an inline routing key in a list', o => { webConfig(o)['am.yml'] = 'receivers:\n  - name: pd\n    pagerduty_configs:\n      - routing_key: abc123\n'; }],
  ['configmap-no-inline-credentials', 'an inline bearer token', o => { webConfig(o)['scrape.yml'] = 'bearer_token: eyJhbGciOi\n'; }],
  ['configmap-no-inline-credentials', 'a credential in text that is not YAML', o => { webConfig(o)['app.conf'] = '[auth]\napi_key: abc\n{ broken'; }],
  ['container-no-credential-args', 'a password flag', o => { web(o).args.push('--auth.password=hunter2'); }],
  ['container-no-credential-args', 'a token in an env value', o => { web(o).env.push({ name: 'URL', value: 'https://x.example.com/?access_token=abc' }); }],
  ['container-no-credential-args', 'a literal env var named like a secret', o => { web(o).env.push({ name: 'API_TOKEN', value: 'abc' }); }],
];

describe('checkPolicies', () => {
  test('the compliant fixture passes every rule', () => {
    // GIVEN
    const manifests = compliant();
    // WHEN
    const violations = checkPolicies(manifests);
    // THEN
    expect(violations).toEqual([]);
  });

  test.each(BREAKAGES)('%s fires on: %s', (id, _what, mutate) => {
    // GIVEN
    const manifests = compliant();
    // WHEN
    mutate(manifests);
    // THEN exactly this rule fires, so each rule is tested on its own
    expect(ruleIds(manifests)).toEqual([id]);
  });

  test('every rule has at least one breakage that makes it fire', () => {
    // GIVEN
    const tested = new Set(BREAKAGES.map(([id]) => id));
    // WHEN
    const untested = POLICY_RULES.map(r => r.id).filter(id => !tested.has(id));
    // THEN
    expect(untested).toEqual([]);
  });

  test('rule ids are unique and descriptions are one line', () => {
    // GIVEN
    const ids = POLICY_RULES.map(r => r.id);
    // WHEN
    const multiLine = POLICY_RULES.filter(r => !r.description.trim() || r.description.includes('\n'));
    // THEN
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(id => /^[a-z]+(-[a-z]+)*$/.test(id))).toBe(true);
    expect(multiLine).toEqual([]);
  });

  test('a violation names the object as Kind/namespace/name, or Kind/name when cluster-scoped', () => {
    // GIVEN
    const manifests = compliant();
    webPod(manifests).hostNetwork = true;
    obj(manifests, 'ClusterRole', 'metrics-reader').rules[0].nonResourceURLs = ['/*'];
    // WHEN
    const violations = checkPolicies(manifests);
    // THEN
    expect(violations.map(v => [v.rule, v.object])).toEqual([
      ['pod-no-host-namespaces', 'Deployment/apps/web'],
      ['rbac-no-wildcards', 'ClusterRole/metrics-reader'],
    ]);
    expect(violations[0].message).toContain('hostNetwork');
  });

  test('a container-level violation names the container', () => {
    // GIVEN
    const manifests = compliant();
    init(manifests).securityContext.readOnlyRootFilesystem = false;
    // WHEN
    const [violation] = checkPolicies(manifests);
    // THEN
    expect(violation.message).toMatch(/^initContainer 'init': /);
  });
});

describe('compliant variants', () => {
  test.each<[string, (o: Obj[]) => void]>([
    ['a topology spread constraint on hostname instead of anti-affinity', o => {
      delete webPod(o).affinity;
      webPod(o).topologySpreadConstraints = [{
        maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } },
      }];
    }],
    ['required anti-affinity selecting by matchExpressions', o => {
      webPod(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{
        topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      }] } };
    }],
    ['a singleton budget that still allows one eviction', o => {
      o.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'cache', namespace: 'apps' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'cache' } } } });
    }],
    ['a default-deny selecting the stack by its part-of label', o => {
      obj(o, 'NetworkPolicy', 'default-deny').spec.podSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'demo' } };
    }],
    ['an allow policy next to the default-deny', o => {
      o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'apps' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] } });
    }],
    ['a tag and a digest, pulled Always', o => { web(o).image = `example.com/web:v1@${DIGEST}`; web(o).imagePullPolicy = 'Always'; }],
    ['an image on a registry with a port', o => { web(o).image = 'registry:5000/web:v1'; }],
    ['an exact TLS host', o => { obj(o, 'Ingress', 'web').spec.tls = [{ hosts: ['web.example.com'], secretName: 'tls' }]; }],
    ['credentials read from files and the environment', o => {
      webConfig(o)['scrape.yml'] = 'authorization:\n  credentials_file: /etc/token\nbearer_token_file: /etc/token\n';
      web(o).args.push('--bearer-token-file=/etc/token', '--secret-name=db');
    }],
    ['a bare Pod with restartPolicy Never needs no probes', o => {
      o.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'once', namespace: 'apps', labels: { app: 'once' } },
        spec: { ...structuredClone(cachePod(o)), restartPolicy: 'Never', containers: cachePod(o).containers.map((c: Obj) => ({ ...c, livenessProbe: undefined })) } });
    }],
  ])('%s passes', (_what, mutate) => {
    // GIVEN
    const manifests = compliant();
    // WHEN
    mutate(manifests);
    // THEN
    expect(checkPolicies(manifests)).toEqual([]);
  });
});

describe('options', () => {
  test('requireNetworkPolicies: false waives the default-deny rule only', () => {
    // GIVEN
    const manifests = compliant();
    manifests.splice(manifests.indexOf(obj(manifests, 'NetworkPolicy', 'default-deny')), 1);
    webPod(manifests).hostIPC = true;
    // WHEN
    const ids = ruleIds(manifests, { requireNetworkPolicies: false });
    // THEN
    expect(ids).toEqual(['pod-no-host-namespaces']);
  });

  test('allowInsecureIngress waives TLS; an annotation does not', () => {
    // GIVEN
    const manifests = compliant();
    const ingress = obj(manifests, 'Ingress', 'web');
    delete ingress.spec.tls;
    ingress.metadata.annotations = { 'policy.example.com/allow-insecure': 'true' };
    // WHEN
    const withAnnotationOnly = ruleIds(manifests);
    const withOption = ruleIds(manifests, { allowInsecureIngress: true });
    // THEN
    expect(withAnnotationOnly).toEqual(['ingress-tls']);
    expect(withOption).toEqual([]);
  });

  test('allowedRbacVerbs allows more verbs', () => {
    // GIVEN
    const manifests = compliant();
    obj(manifests, 'Role', 'reader').rules[0].verbs.push('create');
    // WHEN
    const ids = ruleIds(manifests, { allowedRbacVerbs: ['get', 'list', 'watch', 'create'] });
    // THEN
    expect(ids).toEqual([]);
  });

  test('disabledRules skips the named rules', () => {
    // GIVEN
    const manifests = compliant();
    web(manifests).securityContext.readOnlyRootFilesystem = false;
    web(manifests).securityContext.privileged = true;
    // WHEN
    const ids = ruleIds(manifests, { disabledRules: ['container-read-only-root-filesystem'] });
    // THEN
    expect(ids).toEqual(['container-not-privileged']);
  });

  test('an unknown id in disabledRules throws rather than silently disabling nothing', () => {
    // GIVEN
    const manifests = compliant();
    // WHEN / THEN
    expect(() => checkPolicies(manifests, { disabledRules: ['container-read-only-rootfs'] })).toThrow(/unknown policy rule.*container-read-only-rootfs/);
  });
});
