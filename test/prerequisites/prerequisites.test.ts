import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { article } from '../../examples/article';
import {
  Alertmanager, DEFAULT_CLASS, IngressAuth, MonitoringChart, MonitoringIngress, Prerequisite, PrerequisiteKind, Prerequisites, Prometheus, SecretFile,
} from '../../lib';
import { givenChart, testApp } from '../support/synth';
import { crossNamespace, everyNeed } from './fixtures';

/** The list without reasons: what to create, and for whom. */
const what = (list: Prerequisite[]) => list.map(p => ({ kind: p.kind, name: p.name, namespace: p.namespace, keys: p.keys, neededBy: p.neededBy }));
const entry = (list: Prerequisite[], kind: PrerequisiteKind, name: string) => list.find(p => p.kind === kind && p.name === name);

describe('Prerequisites.of', () => {
  test('the article example needs its namespace, the default StorageClass, the ingress controller and its Secrets', () => {
    // GIVEN the article's chart, a plain Chart in namespace monitoring
    const chart = article(testApp());
    // WHEN listed
    const list = Prerequisites.of(chart);
    // THEN these must exist before `kubectl apply -f dist/article.k8s.yaml`
    expect(what(list)).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'Namespace', name: 'ingress-nginx', neededBy: expect.arrayContaining(['article/ingress', 'article/prometheus']) }),
      { kind: 'Namespace', name: 'monitoring', namespace: undefined, keys: [], neededBy: ['article'] },
      expect.objectContaining({ kind: 'StorageClass', name: DEFAULT_CLASS, neededBy: expect.arrayContaining(['article/prometheus', 'article/pushgateway']) }),
      { kind: 'IngressClass', name: 'nginx', namespace: undefined, keys: [], neededBy: ['article/ingress'] },
      { kind: 'Secret', name: 'monitoring-tls', namespace: 'monitoring', keys: ['tls.crt', 'tls.key'], neededBy: ['article/ingress'] },
      { kind: 'Secret', name: 'wechat', namespace: 'monitoring', keys: ['api-secret'], neededBy: ['article/alertmanager'] },
    ]));
    // AND the WeChat Secret says which field reads it
    expect(entry(list, PrerequisiteKind.SECRET, 'wechat')!.why).toEqual(['file api-secret for receivers[wechat].wechat_configs[0].api_secret_file in alertmanager.yml']);
    // AND the list is in order: namespaces, classes, then the objects in namespaces
    expect([...new Set(list.map(p => p.kind))]).toEqual(['Namespace', 'StorageClass', 'IngressClass', 'Secret']);
  });

  test('each reason names what needs the object for it', () => {
    // GIVEN / WHEN the article's list
    const controller = entry(Prerequisites.of(article(testApp())), PrerequisiteKind.NAMESPACE, 'ingress-nginx')!;
    // THEN the Ingress needs the controller's namespace for one reason, and the exposed components for another
    expect(controller.reasons).toEqual([
      { why: 'the Ingress controller (IngressClass nginx) runs here', neededBy: ['article/ingress'] },
      { why: 'NetworkPolicy peer: its pods may connect in', neededBy: expect.arrayContaining(['article/alertmanager', 'article/prometheus', 'article/pushgateway', 'article/thanos-query']) },
    ]);
    expect(controller.why).toEqual(controller.reasons.map(r => r.why));
  });

  test('every kind of Secret a component reads is listed with its keys and what for', () => {
    // GIVEN a stack that reads every kind of Secret
    const list = Prerequisites.of(everyNeed(testApp()));
    // WHEN the Secrets are picked
    const secrets = list.filter(p => p.kind === PrerequisiteKind.SECRET).map(p => [p.name, p.keys, p.neededBy.map(n => n.split('/')[1]), p.why]);
    // THEN each is there once, with the keys its readers use; PagerDuty's, which the chart creates, is not
    expect(secrets).toEqual([
      ['azure-storage', ['storage-account-key'], ['store-azure'], ["the bucket's credential AZURE_STORAGE_ACCOUNT_KEY"]],
      ['gcs-key', ['service-account.json'], ['compactor'], ["the bucket's credentials file (volume objstore-credentials)"]],
      ['grafana-admin', ['admin-password', 'admin-user'], ['grafana'],
        ['GF_SECURITY_ADMIN_USER (read as GF_SECURITY_ADMIN_USER__FILE)', 'GF_SECURITY_ADMIN_PASSWORD (read as GF_SECURITY_ADMIN_PASSWORD__FILE)']],
      ['minio-keys', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], ['store-s3'],
        ["the bucket's credential AWS_ACCESS_KEY_ID", "the bucket's credential AWS_SECRET_ACCESS_KEY"]],
      ['monitoring-basic-auth', ['auth'], ['ingress'], ['htpasswd file of the basic auth in front of every route (IngressAuth.basic)']],
      ['monitoring-tls', ['tls.crt', 'tls.key'], ['ingress'], ['TLS certificate of every host of the Ingress (type kubernetes.io/tls)']],
      ['remote-write', ['password'], ['prometheus'], ['file password for remote_write[0].basic_auth.password_file in prometheus.yml']],
      ['remote-write-tls', ['tls.crt', 'tls.key'], ['prometheus'], [
        'file tls.crt for remote_write[0].tls_config.cert_file in prometheus.yml',
        'file tls.key for remote_write[0].tls_config.key_file in prometheus.yml',
      ]],
      ['slack', ['webhook-url'], ['alertmanager'], ['file webhook-url for receivers[slack].slack_configs[0].api_url_file in alertmanager.yml']],
      ['thanos-objstore', ['bucket.yml'], ['prometheus'], ['the Thanos objstore file of the bucket (ObjectStorage.fromSecret)']],
    ]);
    expect(list.every(p => p.kind !== PrerequisiteKind.SECRET || p.namespace === 'monitoring')).toBe(true);
  });

  test('classes and namespaces: StorageClass, PriorityClass, IngressClass, the controller, discovery and pusher namespaces', () => {
    // GIVEN / WHEN the same stack's list
    const list = Prerequisites.of(everyNeed(testApp()));
    // THEN the cluster-wide objects are there, for what needs them
    const cluster = list.filter(p => p.kind !== PrerequisiteKind.SECRET).map(p => [p.kind, p.name, p.neededBy.map(n => n.split('/')[1] ?? 'chart')]);
    expect(cluster).toEqual([
      ['Namespace', 'apps', ['prometheus']],
      ['Namespace', 'batch', ['pushgateway']],
      ['Namespace', 'ingress', ['ingress', 'prometheus', 'querier']],
      ['Namespace', 'monitoring', ['chart']],
      ['StorageClass', DEFAULT_CLASS, ['compactor', 'grafana', 'pushgateway', 'store-azure', 'store-s3']],
      ['StorageClass', 'fast-ssd', ['alertmanager', 'prometheus']],
      ['IngressClass', 'public', ['ingress']],
      ['PriorityClass', 'monitoring-critical', ['prometheus']],
    ]);
    expect(entry(list, PrerequisiteKind.NAMESPACE, 'apps')!.why).toEqual([
      'Role monitoring-prometheus is created in it', 'RoleBinding monitoring-prometheus is created in it',
    ]);
  });

  test('a component of another namespace makes its namespace a prerequisite, both ways', () => {
    // GIVEN a team's Prometheus and a central Querier over it, in two charts and namespaces
    const { team, central } = crossNamespace(testApp());
    // WHEN each is listed
    const ns = (chart: Chart) => Prerequisites.of(chart).filter(p => p.kind === PrerequisiteKind.NAMESPACE).map(p => [p.name, p.why]);
    // THEN each needs the other's namespace, and its own
    expect(ns(central)).toEqual([
      ['observability', ["the Chart's namespace: its 5 namespaced objects are created in it"]],
      ['team-a', ['NetworkPolicy peer: connects out to team/prometheus, which runs there']],
    ]);
    expect(ns(team)).toEqual([
      ['observability', ['NetworkPolicy peer: central/querier, which runs there, may connect in']],
      ['team-a', ["the Chart's namespace: its 7 namespaced objects are created in it"]],
    ]);
  });

  test('a MonitoringChart creates its namespace, so it is not listed', () => {
    // GIVEN the whole stack, which creates its Namespace
    const list = Prerequisites.of(new MonitoringChart(testApp(), 'stack', { namespace: 'monitoring' }));
    // WHEN / THEN only the default StorageClass is left
    expect(what(list)).toEqual([
      { kind: 'StorageClass', name: DEFAULT_CLASS, namespace: undefined, keys: [], neededBy: ['stack/prometheus', 'stack/pushgateway'] },
    ]);
  });

  test('a chart that makes a default StorageClass, its namespace and a Secret needs none of them', () => {
    // GIVEN a chart that creates what its Alertmanager would need
    const { chart } = givenChart();
    new Alertmanager(chart, 'am', {
      storage: {},
      config: { route: { receiver: 'r' }, receivers: [{ name: 'r', slackConfigs: [{ apiUrlFile: SecretFile.fromSecret('slack', 'url'), channel: '#a' }] }] },
    });
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'monitoring' } });
    new k8s.KubeSecret(chart, 'slack', { metadata: { name: 'slack' }, stringData: { url: 'https://hooks.slack.com/x' } });
    new k8s.KubeStorageClass(chart, 'sc', {
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'example.com/disk',
    });
    // WHEN listed
    // THEN nothing is left
    expect(Prerequisites.of(chart)).toEqual([]);
  });

  test('Secret files added after construction are listed: Prometheus declares them when the list is made', () => {
    // GIVEN a Prometheus that gets a remote write with a Secret file after it is built
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    prometheus.addRemoteWrite({ url: 'https://remote.example.com/write', auth: { bearerTokenFile: SecretFile.fromSecret('remote-token', 'token') } });
    // WHEN listed
    const secret = entry(Prerequisites.of(chart), PrerequisiteKind.SECRET, 'remote-token');
    // THEN the Secret is there with the field that reads it
    expect(secret).toEqual(expect.objectContaining({
      namespace: 'monitoring', keys: ['token'], neededBy: ['test/prometheus'],
      why: ['file token for remote_write[0].authorization.credentials_file in prometheus.yml'],
    }));
  });

  test('a construct of the user declares what it needs, now or when the list is made', () => {
    // GIVEN a construct that declares a Secret, and a function that declares a ConfigMap in another namespace
    const { chart } = givenChart();
    const mine = new Construct(chart, 'mine');
    let configMap = 'first';
    Prerequisites.declare(mine, { kind: PrerequisiteKind.SECRET, name: 'api-key', keys: ['key'], why: 'the API key of my job' });
    Prerequisites.declare(mine, () => [{ kind: PrerequisiteKind.CONFIG_MAP, name: configMap, namespace: 'shared', why: 'settings shared by the teams' }]);
    configMap = 'settings';
    // WHEN listed
    const list = Prerequisites.of(chart);
    // THEN both are there, the Secret in the chart's namespace, the function called when the list is made
    expect(list).toEqual([
      { kind: 'Secret', name: 'api-key', namespace: 'monitoring', keys: ['key'], neededBy: ['test/mine'], why: ['the API key of my job'], reasons: [{ why: 'the API key of my job', neededBy: ['test/mine'] }] },
      {
        kind: 'ConfigMap', name: 'settings', namespace: 'shared', keys: [], neededBy: ['test/mine'],
        why: ['settings shared by the teams'], reasons: [{ why: 'settings shared by the teams', neededBy: ['test/mine'] }],
      },
    ]);
  });

  test('a nested chart keeps its own needs', () => {
    // GIVEN a chart with a nested chart whose Alertmanager reads a Secret
    const app = testApp();
    const parent = new Chart(app, 'parent', { namespace: 'monitoring' });
    const child = new Chart(parent, 'child', { namespace: 'alerts' });
    new Alertmanager(child, 'am', {
      config: { route: { receiver: 'r' }, receivers: [{ name: 'r', slackConfigs: [{ apiUrlFile: SecretFile.fromSecret('slack', 'url'), channel: '#a' }] }] },
    });
    // WHEN each is listed
    // THEN the Secret is the nested chart's, in its namespace, and not the parent's
    expect(Prerequisites.of(parent)).toEqual([]);
    expect(entry(Prerequisites.of(child), PrerequisiteKind.SECRET, 'slack')).toEqual(expect.objectContaining({ namespace: 'alerts', neededBy: ['parent/child/am'] }));
  });

  test('basic auth of another namespace is listed there', () => {
    // GIVEN an Ingress whose basic auth Secret is named `namespace/name`, as ingress-nginx allows
    const { chart } = givenChart();
    new MonitoringIngress(chart, 'ingress', {
      host: 'm.example.com', allowInsecureHttp: true, auth: IngressAuth.basic('auth/monitoring-users'), prometheus: new Prometheus(chart, 'prometheus'),
    });
    // WHEN listed
    const secrets = Prerequisites.of(chart).filter(p => p.kind === PrerequisiteKind.SECRET);
    // THEN the Secret is in that namespace, read for its `auth` key
    expect(secrets.map(p => [p.namespace, p.name, p.keys])).toEqual([['auth', 'monitoring-users', ['auth']]]);
  });
});

describe('Prerequisites.toMarkdown', () => {
  test('a table of the article example, one row per object', () => {
    // GIVEN / WHEN the article's markdown
    const markdown = Prerequisites.toMarkdown(article(testApp()), { title: 'Before you apply article.k8s.yaml' });
    // THEN it has the heading, the columns and a row per prerequisite, construct paths below the chart
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('# Before you apply article.k8s.yaml');
    expect(lines).toContain('| kind | name | namespace | keys | needed by | why |');
    expect(lines.filter(l => /^\| [A-Z]/.test(l) && !l.startsWith('| kind'))).toHaveLength(Prerequisites.of(article(testApp())).length);
    expect(lines).toContain('| Secret | `wechat` | `monitoring` | `api-secret` | `alertmanager` '
      + '| file api-secret for receivers[wechat].wechat_configs[0].api_secret_file in alertmanager.yml |');
    expect(lines).toContainEqual(expect.stringMatching(/^\| Namespace \| `monitoring` \| {2}\| {2}\| the Chart \| the Chart's namespace: its \d+ namespaced objects are created in it \|$/));
  });

  test('a list, with whole construct paths, escaped cells and every key of a whole Secret', () => {
    // GIVEN a list with a pipe in a reason
    const list: Prerequisite[] = [{
      kind: PrerequisiteKind.SECRET, name: 's', namespace: undefined, keys: [], neededBy: ['a/b'], why: ['x | y'], reasons: [{ why: 'x | y', neededBy: ['a/b'] }],
    }];
    // WHEN rendered
    const markdown = Prerequisites.toMarkdown(list);
    // THEN
    expect(markdown.split('\n')).toContain('| Secret | `s` | where applied | every key | `a/b` | x \\| y |');
    expect(Prerequisites.toMarkdown([])).toBe('# Prerequisites\n\nNothing: the chart creates everything it refers to.\n');
  });
});

describe('Prerequisites.writeMarkdown', () => {
  test('writes <chart>.prerequisites.md beside each <chart>.k8s.yaml', () => {
    // GIVEN an app with two charts, synthesized into a temp folder
    const outdir = mkdtempSync(join(tmpdir(), 'prerequisites-'));
    try {
      const app = new App({ outdir });
      article(app);
      new MonitoringChart(app, 'stack', { namespace: 'monitoring' });
      app.synth();
      // WHEN the lists are written
      const written = Prerequisites.writeMarkdown(app);
      // THEN one file per chart, next to its YAML
      expect(written).toEqual([join(outdir, 'article.prerequisites.md'), join(outdir, 'stack.prerequisites.md')]);
      expect(readdirSync(outdir).sort()).toEqual(['article.k8s.yaml', 'article.prerequisites.md', 'stack.k8s.yaml', 'stack.prerequisites.md']);
      expect(readFileSync(join(outdir, 'article.prerequisites.md'), 'utf8')).toContain('# Before you apply article.k8s.yaml');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('follows cdk8s\' index prefixes when charts depend on each other', () => {
    // GIVEN two charts, one depending on the other, so cdk8s numbers the files
    const outdir = mkdtempSync(join(tmpdir(), 'prerequisites-'));
    try {
      const app = new App({ outdir });
      const first = new Chart(app, 'first', { namespace: 'a' });
      const second = new Chart(app, 'second', { namespace: 'b' });
      second.addDependency(first);
      app.synth();
      // WHEN written
      Prerequisites.writeMarkdown(app);
      // THEN each list is named like its YAML
      const files = readdirSync(outdir).sort();
      for (const yaml of files.filter(f => f.endsWith('.k8s.yaml'))) expect(existsSync(join(outdir, yaml.replace('.k8s.yaml', '.prerequisites.md')))).toBe(true);
      expect(files.filter(f => f.endsWith('.md'))).toHaveLength(2);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
