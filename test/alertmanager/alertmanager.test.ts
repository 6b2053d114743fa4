import { parse } from 'yaml';
import { Alertmanager, SecretFile } from '../../lib';
import { container, find, flagValues, givenChart, synth } from '../support/synth';

// The objects of a default Alertmanager, field by field, are in the example snapshots
// (test/examples); here: what a standalone one renders, and what tells it apart.
describe('Alertmanager', () => {
  test('defaults render the recorded alertmanager.yml and container args', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Alertmanager(chart, 'alertmanager');
    const manifests = synth(chart);
    // THEN
    const sts = find(manifests, 'StatefulSet', 'alertmanager');
    expect({
      'alertmanager.yml': find(manifests, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml'],
      args: Object.fromEntries(sts.spec.template.spec.containers.map((c: any) => [c.name, c.args])),
    }).toMatchSnapshot();
  });

  test('defaults add a ConfigMap, two Services, three parallel replicas behind a PDB and a NetworkPolicy, all labelled', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Alertmanager(chart, 'alertmanager');
    const manifests = synth(chart);
    // THEN
    expect(manifests.map(m => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ConfigMap/alertmanager-config',
      'Service/alertmanager-headless',
      'Service/alertmanager',
      'StatefulSet/alertmanager',
      'PodDisruptionBudget/alertmanager',
      'NetworkPolicy/alertmanager',
    ]);
    expect(manifests.map(m => m.metadata.labels)).toEqual(manifests.map(() => ({
      'app.kubernetes.io/component': 'alert-router',
      'app.kubernetes.io/instance': 'alertmanager',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/name': 'alertmanager',
      'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
    })));
    expect(manifests.map(m => m.metadata.namespace)).toEqual(manifests.map(() => 'monitoring'));
    const sts = find(manifests, 'StatefulSet', 'alertmanager');
    expect(sts.spec).toEqual(expect.objectContaining({ replicas: 3, serviceName: 'alertmanager-headless', podManagementPolicy: 'Parallel' }));
    expect(find(manifests, 'PodDisruptionBudget', 'alertmanager').spec.maxUnavailable).toBe(1);
  });

  test('each replica joins every peer by its stable per-pod DNS name', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Alertmanager(chart, 'alertmanager', { replicas: 3 });
    const manifests = synth(chart);
    // THEN
    const sts = find(manifests, 'StatefulSet', 'alertmanager');
    const args: string[] = container(sts, 'alertmanager').args;
    expect(flagValues(args, '--cluster.peer')).toEqual([0, 1, 2].map(i => `alertmanager-${i}.alertmanager-headless.monitoring.svc:9094`));
    expect(flagValues(args, '--cluster.listen-address')).toEqual(['0.0.0.0:9094']);
    expect(sts.spec.serviceName).toBe('alertmanager-headless');
    const headless = find(manifests, 'Service', 'alertmanager-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    // Gossip runs over both TCP and UDP.
    expect(headless.spec.ports.filter((p: any) => p.port === 9094).map((p: any) => p.protocol).sort()).toEqual(['TCP', 'UDP']);
  });

  test('a single replica switches gossip off', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Alertmanager(chart, 'alertmanager', { replicas: 1 });
    const args: string[] = container(find(synth(chart), 'StatefulSet', 'alertmanager'), 'alertmanager').args;
    // THEN
    expect(flagValues(args, '--cluster.listen-address')).toEqual(['']);
    expect(flagValues(args, '--cluster.peer')).toEqual([]);
  });

  test('routePrefix sets the route prefix and the reload path together', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new Alertmanager(chart, 'alertmanager', { routePrefix: '/alertmanager/' });
    const sts = find(synth(chart), 'StatefulSet', 'alertmanager');
    // THEN
    expect(flagValues(container(sts, 'alertmanager').args, '--web.route-prefix')).toEqual(['/alertmanager']);
    expect(container(sts, 'alertmanager').readinessProbe.httpGet.path).toBe('/alertmanager/-/ready');
    expect(flagValues(container(sts, 'config-reloader').args, '--reload-url')).toEqual(['http://127.0.0.1:9093/alertmanager/-/reload']);
  });

  test('the default config is a valid route to a receiver that drops notifications', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const am = new Alertmanager(chart, 'alertmanager');
    // THEN
    expect(parse(am.renderConfig())).toEqual({
      route: { receiver: 'null', group_by: ['alertname', 'namespace'] },
      receivers: [{ name: 'null' }],
    });
  });

  test('receiver credentials come from the Secrets their *_file fields name, mounted read-only', () => {
    // GIVEN
    const { chart } = givenChart();
    const urlFile = SecretFile.fromSecret('team-hook', 'url');
    // WHEN
    const am = new Alertmanager(chart, 'alertmanager', {
      config: { route: { receiver: 'team' }, receivers: [{ name: 'team', webhookConfigs: [{ urlFile }] }] },
    });
    const sts = find(synth(chart), 'StatefulSet', 'alertmanager');
    // THEN the config holds a path, and the pod mounts the Secret there
    expect(am.renderConfig()).toContain('url_file: /etc/alertmanager/secrets/team-hook/url');
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'secret-team-hook', secret: { secretName: 'team-hook' } });
    expect(container(sts, 'alertmanager').volumeMounts).toContainEqual({ name: 'secret-team-hook', mountPath: '/etc/alertmanager/secrets/team-hook', readOnly: true });
  });

  test('fails when a *File field is a plain path into the secrets folder, which nothing mounts', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Alertmanager(chart, 'alertmanager', {
      config: { route: { receiver: 'team' }, receivers: [{ name: 'team', webhookConfigs: [{ urlFile: '/etc/alertmanager/secrets/team-hook/url' as unknown as SecretFile }] }] },
    })).toThrow("test/alertmanager: invalid 'config.receivers[0].webhookConfigs[0].urlFile': '/etc/alertmanager/secrets/team-hook/url' is a path into /etc/alertmanager/secrets, where only the Secrets of SecretFile values are mounted: use SecretFile.fromSecret(secretName, key)");
  });

  test('notification templates ship in a ConfigMap, are read by the config and watched by the reloader', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const am = new Alertmanager(chart, 'alertmanager', { templateFiles: { 'slack.tmpl': '{{ define "slack.title" }}{{ .Status }}{{ end }}' } });
    const manifests = synth(chart);
    // THEN
    expect(find(manifests, 'ConfigMap', 'alertmanager-templates').data).toEqual({ 'slack.tmpl': '{{ define "slack.title" }}{{ .Status }}{{ end }}' });
    expect(parse(am.renderConfig()).templates).toEqual(['/etc/alertmanager/templates/*.tmpl']);
    const sts = find(manifests, 'StatefulSet', 'alertmanager');
    expect(container(sts, 'alertmanager').volumeMounts).toContainEqual({ name: 'templates', mountPath: '/etc/alertmanager/templates', readOnly: true });
    expect(flagValues(container(sts, 'config-reloader').args, '--watched-dir')).toEqual(['/etc/alertmanager/config', '/etc/alertmanager/templates']);
  });

  test('fails when a template file name is not *.tmpl', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Alertmanager(chart, 'alertmanager', { templateFiles: { 'slack.txt': '' } }))
      .toThrow("test/alertmanager: invalid 'templateFiles.slack.txt': file names must be like name.tmpl");
  });
});
