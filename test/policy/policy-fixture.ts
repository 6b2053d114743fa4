// The manifests every policy test starts from. The policy is tested on
// hand-written manifests, not on the constructs, so a rule is shown to work on
// any chart (the constructs have their own test in examples-policy.test.ts).

export type Obj = Record<string, any>;

const SECURE_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
const PROBE = { httpGet: { path: '/healthz', port: 'http' } };
const WEB_LABELS = { 'app': 'web', 'app.kubernetes.io/part-of': 'demo' };
const CACHE_LABELS = { 'app': 'cache', 'app.kubernetes.io/part-of': 'demo' };
export const DIGEST = 'sha256:' + 'a'.repeat(64);

/**
 * A compliant set of manifests that exercises every rule: a replicated
 * Deployment whose ServiceAccount is bound to a read-only Role, a singleton
 * StatefulSet pinned by digest, a CronJob, an Ingress with TLS and a blocked
 * admin path, a ConfigMap using `*_file` credentials, a default-deny policy.
 */
export function compliant(): Obj[] {
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
