import { EXAMPLES } from '../../examples';
import {
  configMapVolumesExist, disruptionBudgetsCoverReplicatedWorkloads, ingressBackendsExist, networkPolicyPortsExist, probePortsExist,
  rbacReferencesExist, REFERENCE_CHECKS, ReferenceCheck, selects, serviceAccountsExist, serviceSelectorsMatchWorkloads,
  serviceTargetPortsExist, statefulSetServicesAreHeadless, volumeMountsExist, workloadSelectorsMatchTemplates,
} from '../support/references';
import { all, container, find, Manifest, synth, testApp } from '../support/synth';

// Objects refer to each other by name and label: a Service selects pods and
// targets their port names, an Ingress names a Service and its port, a volume
// names a ConfigMap. The apiserver accepts a broken reference; it only shows up
// at run time as a Service without endpoints, a 503 or a pod that never starts.


function objectsOf(example: string): Manifest[] {
  return synth(EXAMPLES[example](testApp()));
}

describe('every reference in the examples resolves', () => {
  const cases = Object.keys(EXAMPLES).flatMap(example => Object.keys(REFERENCE_CHECKS).map(check => [example, check]));

  test.each(cases)('%s: %s', (example, check) => {
    // GIVEN the objects of the example
    const objects = objectsOf(example);
    // WHEN the check runs over them
    const problems = REFERENCE_CHECKS[check](objects);
    // THEN it finds nothing
    expect(problems).toEqual([]);
  });

  test.each(Object.keys(EXAMPLES))('%s has something for every check to look at', example => {
    // GIVEN the objects of the example
    const objects = objectsOf(example);
    // WHEN counting what the checks inspect
    const kinds = new Set(objects.map(o => o.kind));
    const pods = objects.filter(o => o.kind === 'StatefulSet' || o.kind === 'Deployment').map(w => w.spec.template.spec);
    // THEN no check passes for want of input
    for (const kind of ['Service', 'StatefulSet', 'Deployment', 'PodDisruptionBudget', 'ClusterRoleBinding', 'ServiceAccount', 'ConfigMap']) {
      expect(kinds).toContain(kind);
    }
    expect(all(objects, 'Service').some(s => s.spec.clusterIP === 'None')).toBe(true);
    expect(pods.some(p => p.volumes?.some((v: any) => v.configMap))).toBe(true);
    expect(pods.some(p => p.containers.some((c: any) => typeof c.readinessProbe?.httpGet?.port === 'string'))).toBe(true);
    expect(pods.some(p => p.serviceAccountName)).toBe(true);
    if (example === 'article') expect(kinds).toContain('Ingress');
  });
});

/**
 * The problems `check` reports on the example's objects after `mutate`, less
 * those it reports before: what the deliberate break introduced.
 */
function introduced(check: ReferenceCheck, example: string, mutate: (objects: Manifest[]) => void): string[] {
  const objects = objectsOf(example);
  const before = check(objects);
  const broken = structuredClone(objects);
  mutate(broken);
  return check(broken).filter(p => !before.includes(p));
}

describe('each check fires on a broken object list', () => {
  test('a Service selector that matches no pods', () => {
    // GIVEN the minimal example WHEN the prometheus Service selects an instance that does not exist
    const problems = introduced(serviceSelectorsMatchWorkloads, 'minimal', objects => {
      find(objects, 'Service', 'prometheus').spec.selector['app.kubernetes.io/instance'] = 'prometheus-old';
    });
    // THEN
    expect(problems).toEqual([expect.stringMatching(/^Service monitoring\/prometheus: selector .*prometheus-old.* matches the pods of no workload/)]);
  });

  test('a Service selector that matches pods only in another namespace', () => {
    // GIVEN the minimal example WHEN the Alertmanager StatefulSet moves to another namespace
    const problems = introduced(serviceSelectorsMatchWorkloads, 'minimal', objects => {
      find(objects, 'StatefulSet', 'alertmanager').metadata.namespace = 'elsewhere';
    });
    // THEN both Alertmanager Services select nothing
    expect(problems).toEqual([
      expect.stringContaining('Service monitoring/alertmanager-headless: selector'),
      expect.stringContaining('Service monitoring/alertmanager: selector'),
    ]);
  });

  test('a Service targetPort name that no container port has', () => {
    // GIVEN the minimal example WHEN the querier Service targets a misspelt port
    const problems = introduced(serviceTargetPortsExist, 'minimal', objects => {
      find(objects, 'Service', 'querier').spec.ports.find((p: any) => p.name === 'grpc').targetPort = 'gprc';
    });
    // THEN
    expect(problems).toEqual(["Service monitoring/querier: port 'grpc' targets 'gprc', which no container of Deployment monitoring/querier names"]);
  });

  test('a Service targetPort whose container port has another protocol', () => {
    // GIVEN the minimal example WHEN the gossip UDP Service port loses its protocol (so: TCP)
    const problems = introduced(serviceTargetPortsExist, 'minimal', objects => {
      delete find(objects, 'Service', 'alertmanager-headless').spec.ports.find((p: any) => p.name === 'mesh-udp').protocol;
    });
    // THEN the mismatch with the UDP container port is reported
    expect(problems).toEqual([expect.stringContaining("port 'mesh-udp' targets 'mesh-udp' over TCP, but StatefulSet monitoring/alertmanager names it for UDP")]);
  });

  test('an Ingress backend naming a missing Service or a missing port', () => {
    // GIVEN the article example WHEN one backend names a missing Service and another a missing port
    const problems = introduced(ingressBackendsExist, 'article', objects => {
      const paths = find(objects, 'Ingress', 'ingress').spec.rules[0].http.paths;
      paths.find((p: any) => p.path === '/thanos').backend.service.name = 'thanos-querier';
      paths.find((p: any) => p.path === '/prometheus').backend.service.port = { name: 'http' };
    });
    // THEN both are reported
    expect(problems).toEqual([
      "Ingress monitoring/ingress: backend of monitoring.example.com/prometheus names port 'http' of Service monitoring/prometheus, which has ports [\"web\"]",
      "Ingress monitoring/ingress: backend of monitoring.example.com/thanos names Service 'thanos-querier', which does not exist in namespace monitoring",
    ]);
  });

  test('a StatefulSet serviceName that is missing or not headless', () => {
    // GIVEN the minimal example WHEN Prometheus names its ClusterIP Service and Alertmanager a missing one
    const problems = introduced(statefulSetServicesAreHeadless, 'minimal', objects => {
      find(objects, 'StatefulSet', 'prometheus').spec.serviceName = 'prometheus';
      find(objects, 'StatefulSet', 'alertmanager').spec.serviceName = 'alertmanager-gossip';
    });
    // THEN both are reported
    expect(problems).toEqual([
      "StatefulSet monitoring/alertmanager: serviceName 'alertmanager-gossip' names no Service in namespace monitoring",
      expect.stringContaining("StatefulSet monitoring/prometheus: serviceName 'prometheus' names Service monitoring/prometheus, which is not headless"),
    ]);
  });

  test('a PodDisruptionBudget over a single replica or over nothing', () => {
    // GIVEN the minimal example WHEN Alertmanager drops to 1 replica and the querier budget selects a typo
    const problems = introduced(disruptionBudgetsCoverReplicatedWorkloads, 'minimal', objects => {
      find(objects, 'StatefulSet', 'alertmanager').spec.replicas = 1;
      find(objects, 'PodDisruptionBudget', 'querier').spec.selector.matchLabels['app.kubernetes.io/name'] = 'thanos-querier';
    });
    // THEN both are reported
    expect(problems).toEqual([
      'PodDisruptionBudget monitoring/alertmanager: selects StatefulSet monitoring/alertmanager, which has 1 replica(s)',
      expect.stringMatching(/^PodDisruptionBudget monitoring\/querier: selector .* matches no workload in namespace monitoring$/),
    ]);
  });

  test('an RBAC binding to a missing role or ServiceAccount', () => {
    // GIVEN the minimal example WHEN the binding names a ServiceAccount in `default` and a misspelt ClusterRole
    const problems = introduced(rbacReferencesExist, 'minimal', objects => {
      const binding = find(objects, 'ClusterRoleBinding', 'monitoring-prometheus');
      binding.subjects[0].namespace = 'default';
      binding.roleRef.name = 'prometheus';
    });
    // THEN both are reported
    expect(problems).toEqual([
      "ClusterRoleBinding monitoring-prometheus: roleRef names ClusterRole 'prometheus', which does not exist",
      'ClusterRoleBinding monitoring-prometheus: subject ServiceAccount default/prometheus does not exist',
    ]);
  });

  test('a configMap volume naming a missing ConfigMap or key', () => {
    // GIVEN the minimal example WHEN one volume names a missing ConfigMap and another picks a missing key
    const problems = introduced(configMapVolumesExist, 'minimal', objects => {
      const volumes = find(objects, 'StatefulSet', 'prometheus').spec.template.spec.volumes;
      volumes.find((v: any) => v.name === 'config').configMap.name = 'prometheus-conf';
      volumes.find((v: any) => v.name === 'rules').configMap.items = [{ key: 'alerts.yaml', path: 'alerts.yaml' }];
    });
    // THEN both are reported
    expect(problems).toEqual([
      "StatefulSet monitoring/prometheus: volume 'config' mounts ConfigMap 'prometheus-conf', which does not exist in namespace monitoring",
      "StatefulSet monitoring/prometheus: volume 'rules' picks key 'alerts.yaml' of ConfigMap monitoring/prometheus-rules, which has keys [\"rules.yaml\"]",
    ]);
  });

  test('a probe on a port name the container does not have', () => {
    // GIVEN the minimal example WHEN the Prometheus readiness probe names the sidecar's port
    const problems = introduced(probePortsExist, 'minimal', objects => {
      container(find(objects, 'StatefulSet', 'prometheus'), 'prometheus').readinessProbe.httpGet.port = 'http-sidecar';
    });
    // THEN it is reported: a probe only reaches its own container's named ports
    expect(problems).toEqual([expect.stringContaining("readinessProbe of container 'prometheus' uses port 'http-sidecar', which the container does not name")]);
  });

  test('a workload selector that does not select its own pod template', () => {
    // GIVEN the minimal example WHEN the querier selector requires a label its pods lack, and Pushgateway loses its selector
    const problems = introduced(workloadSelectorsMatchTemplates, 'minimal', objects => {
      find(objects, 'Deployment', 'querier').spec.selector.matchLabels['app.kubernetes.io/version'] = 'v2';
      delete find(objects, 'StatefulSet', 'pushgateway').spec.selector;
    });
    // THEN both are reported
    expect(problems).toEqual([
      'StatefulSet monitoring/pushgateway: has no (or an empty) spec.selector',
      expect.stringMatching(/^Deployment monitoring\/querier: selector .*app.kubernetes.io\/version.* does not select its own pod template labels/),
    ]);
  });

  test('a pod running as a ServiceAccount that does not exist', () => {
    // GIVEN the minimal example WHEN the Prometheus ServiceAccount is left out
    const problems = introduced(serviceAccountsExist, 'minimal', objects => {
      objects.splice(objects.indexOf(find(objects, 'ServiceAccount', 'prometheus')), 1);
    });
    // THEN
    expect(problems).toEqual(["StatefulSet monitoring/prometheus: serviceAccountName 'prometheus' names no ServiceAccount in namespace monitoring"]);
  });

  test('a volumeMount of a volume the pod does not have', () => {
    // GIVEN the minimal example WHEN the rules volume is dropped but still mounted
    const problems = introduced(volumeMountsExist, 'minimal', objects => {
      const spec = find(objects, 'StatefulSet', 'prometheus').spec.template.spec;
      spec.volumes = spec.volumes.filter((v: any) => v.name !== 'rules');
    });
    // THEN each container mounting it is reported
    expect(problems).toEqual([
      "StatefulSet monitoring/prometheus: container 'prometheus' mounts volume 'rules' at /etc/prometheus/rules, which the pod does not have",
      "StatefulSet monitoring/prometheus: container 'config-reloader' mounts volume 'rules' at /etc/prometheus/rules, which the pod does not have",
    ]);
  });
});

describe('selects', () => {
  test.each([
    [{ matchLabels: { a: '1' } }, true],
    [{ matchLabels: { a: '2' } }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, false],
    [{ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, true],
    [{}, true],
  ])('%j selects {a: "1"}: %p', (selector, expected) => {
    // GIVEN pod labels {a: 1} WHEN matched THEN as metav1.LabelSelector does
    expect(selects(selector, { a: '1' })).toBe(expected);
  });
});

describe('network policy references', () => {
  test('networkPolicyPortsExist fires on a port nobody listens on and a selector that picks nothing', () => {
    // GIVEN the minimal example WHEN the querier policy allows a wrong port and the Alertmanager policy selects a typo
    const problems = introduced(networkPolicyPortsExist, 'minimal', objects => {
      const querier = objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'querier')!;
      querier.spec.ingress[0].ports = [{ port: 10999, protocol: 'TCP' }];
      const am = objects.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'alertmanager')!;
      am.spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'alertmanagr' } };
    });
    // THEN both are reported (the mis-selecting policy's ports then match no pod either)
    expect(problems).toEqual(expect.arrayContaining([
      'NetworkPolicy monitoring/alertmanager: podSelector matches no pod template',
      'NetworkPolicy monitoring/querier: ingress[0] allows 10999/TCP, which its pods do not listen on',
    ]));
  });
});
