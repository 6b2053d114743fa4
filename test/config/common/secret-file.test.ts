// Secret files: one value type for both configs. The component that reads a
// file mounts its Secret and writes the path in its own container, so a file
// cannot point where nothing is mounted, and Secrets cannot share a volume.
import { parse } from 'yaml';
import { Alertmanager, InvalidValueError, Prometheus, ScrapeJobs, SecretFile } from '../../../lib';
import { resolveSecretFiles, secretVolumeName } from '../../../lib/config/common/secret-mounts';
import { container, find, givenChart, synth } from '../../support/synth';

/** The error `fn` throws; fails the test when it throws none. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('SecretFile.fromSecret', () => {
  test('names a key of a Secret, and no path: the path depends on who reads it', () => {
    // GIVEN / WHEN
    const file = SecretFile.fromSecret('slack', 'url');
    // THEN
    expect({ secretName: file.secretName, key: file.key }).toEqual({ secretName: 'slack', key: 'url' });
    expect(SecretFile.isSecretFile(file)).toBe(true);
    expect(SecretFile.isSecretFile('/etc/prometheus/secrets/slack/url')).toBe(false);
    expect(SecretFile.isSecretFile({ secretName: 'slack', key: 'url' })).toBe(false);
    expect(`${file}`).toBe("SecretFile.fromSecret('slack', 'url')");
  });

  test('accepts every Secret name and key Kubernetes accepts', () => {
    // GIVEN / WHEN / THEN
    expect(() => SecretFile.fromSecret('a', 'K')).not.toThrow();
    expect(() => SecretFile.fromSecret('tls.example.com', 'tls.crt')).not.toThrow();
    expect(() => SecretFile.fromSecret('a'.repeat(253), '_-.x')).not.toThrow();
    expect(() => SecretFile.fromSecret('0-a.b-9', '.dotfile')).not.toThrow();
  });

  test.each([
    ['has capitals', 'Slack'],
    ['has an underscore', 'team_hook'],
    ['is empty', ''],
    ['ends in a dash', 'slack-'],
    ['has an empty label', 'a..b'],
    ['is a path', 'slack/url'],
    ['is longer than 253 characters', 'a'.repeat(254)],
  ])('fails when the Secret name %s', (_, secretName) => {
    // GIVEN / WHEN
    const error = errorOf(() => SecretFile.fromSecret(secretName, 'url'));
    // THEN an InvalidValueError that names the factory and the argument
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error.message).toBe(`SecretFile.fromSecret: invalid 'secretName': '${secretName}' must be a Secret name: a lowercase RFC 1123 subdomain of at most 253 characters`);
  });

  test.each([
    ['is empty', ''],
    ['is a path', 'a/b'],
    ['is .', '.'],
    ['is ..', '..'],
    ['starts with ..', '..data'],
    ['has a space', 'api key'],
    ['is longer than 253 characters', 'k'.repeat(254)],
  ])('fails when the key %s', (_, key) => {
    // GIVEN / WHEN
    const error = errorOf(() => SecretFile.fromSecret('slack', key));
    // THEN
    expect(error).toBeInstanceOf(InvalidValueError);
    expect(error.message).toMatch(/^SecretFile\.fromSecret: invalid 'key': /);
    expect(error.message).toContain("must be a key of Secret 'slack'");
  });

  test('fails when JavaScript passes a non-string', () => {
    // GIVEN / WHEN / THEN
    expect(() => SecretFile.fromSecret(undefined as unknown as string, 'url')).toThrow("SecretFile.fromSecret: invalid 'secretName': undefined must be a Secret name");
    expect(() => SecretFile.fromSecret('slack', 42 as unknown as string)).toThrow("SecretFile.fromSecret: invalid 'key': 42 must be a key of Secret 'slack'");
  });
});

describe('the component that reads a secret file mounts it', () => {
  test('one SecretFile in an Alertmanager receiver and in a Prometheus remote write: each renders and mounts its own path', () => {
    // GIVEN the value the old helpers made differently (SecretFile.path for Prometheus, Alertmanager.secretFile for Alertmanager)
    const { chart } = givenChart();
    const token = SecretFile.fromSecret('shared-token', 'token');
    // WHEN both components use it
    const am = new Alertmanager(chart, 'alertmanager', {
      config: { route: { receiver: 'hook' }, receivers: [{ name: 'hook', webhookConfigs: [{ url: 'https://hooks.example.com/', httpConfig: { authorization: { credentialsFile: token } } }] }] },
    });
    const prometheus = new Prometheus(chart, 'prometheus', { remoteWrite: [{ url: 'https://mimir.example.com/push', auth: { bearerTokenFile: token } }] });
    const manifests = synth(chart);
    // THEN the Alertmanager config points into the Alertmanager's mount of the Secret...
    expect(parse(am.renderConfig()).receivers[0].webhook_configs[0].http_config.authorization.credentials_file).toBe('/etc/alertmanager/secrets/shared-token/token');
    const amSts = find(manifests, 'StatefulSet', 'alertmanager');
    expect(amSts.spec.template.spec.volumes).toContainEqual({ name: 'secret-shared-token', secret: { secretName: 'shared-token' } });
    expect(container(amSts, 'alertmanager').volumeMounts).toContainEqual({ name: 'secret-shared-token', mountPath: '/etc/alertmanager/secrets/shared-token', readOnly: true });
    // ...and the Prometheus config into the Prometheus' mount of it
    expect(parse(prometheus.renderConfig()).remote_write[0].authorization.credentials_file).toBe('/etc/prometheus/secrets/shared-token/token');
    const promSts = find(manifests, 'StatefulSet', 'prometheus');
    expect(promSts.spec.template.spec.volumes).toContainEqual({ name: 'secret-shared-token', secret: { secretName: 'shared-token' } });
    expect(container(promSts, 'prometheus').volumeMounts).toContainEqual({ name: 'secret-shared-token', mountPath: '/etc/prometheus/secrets/shared-token', readOnly: true });
    // ...and neither config holds the other's folder
    expect(am.renderConfig()).not.toContain('/etc/prometheus/secrets');
    expect(prometheus.renderConfig()).not.toContain('/etc/alertmanager/secrets');
  });

  test("fails when a Prometheus path is given to an Alertmanager receiver (the old mix-up), naming the construct path and the prop", () => {
    // GIVEN the string SecretFile.path('slack', 'url') used to return, through a cast or from JavaScript
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Alertmanager(chart, 'alertmanager', {
      config: { route: { receiver: 'slack' }, receivers: [{ name: 'slack', slackConfigs: [{ apiUrlFile: '/etc/prometheus/secrets/slack/url' as unknown as SecretFile }] }] },
    })).toThrow("test/alertmanager: invalid 'config.receivers[0].slackConfigs[0].apiUrlFile': '/etc/prometheus/secrets/slack/url' is a path into /etc/prometheus/secrets, "
      + 'where only the Secrets of SecretFile values are mounted: use SecretFile.fromSecret(secretName, key), and the component that reads the file mounts the Secret');
  });

  test('fails when an Alertmanager path is given to a Prometheus bearer token (the old mix-up), naming the construct path and the prop', () => {
    // GIVEN the string Alertmanager.secretFile('token', 'token') used to return
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => {
      new Prometheus(chart, 'prometheus', { scrapeJobs: [{ jobName: 'app', staticTargets: ['app:8080'], auth: { bearerTokenFile: '/etc/alertmanager/secrets/token/token' } }] });
      synth(chart);
    }).toThrow("test/prometheus: invalid 'scrapeJobs[app].auth.bearerTokenFile': '/etc/alertmanager/secrets/token/token' is a path into /etc/alertmanager/secrets");
  });

  test('the service account paths of the built-in Kubernetes jobs stay plain paths, and mount no Secret', () => {
    // GIVEN jobs that authenticate with the pod's own service account
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { scrapeJobs: [ScrapeJobs.kubelet(), ScrapeJobs.kubernetesApiServers()] });
    // WHEN
    const config = parse(prometheus.renderConfig());
    const sts = find(synth(chart), 'StatefulSet', 'prometheus');
    // THEN
    const kubelet = config.scrape_configs.find((j: { job_name: string }) => j.job_name === 'kubelet');
    expect(kubelet.authorization.credentials_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(kubelet.tls_config.ca_file).toBe('/var/run/secrets/kubernetes.io/serviceaccount/ca.crt');
    expect(sts.spec.template.spec.volumes.filter((v: { secret?: object }) => v.secret)).toEqual([]);
  });
});

// (Prometheus pods with Secrets 'a.b' and 'a-b': test/config/prometheus/prometheus-config.test.ts)
describe('secret volume names', () => {
  test('are DNS labels: a name as it is when it fits, else cut, with a stable hash of the full name', () => {
    // GIVEN names of the longest kind, and ones differing only past the cut
    const long = 'x'.repeat(253);
    const [a, b] = [`${'y'.repeat(60)}-a`, `${'y'.repeat(60)}-b`];
    // WHEN / THEN
    expect(secretVolumeName('slack')).toBe('secret-slack');
    expect(secretVolumeName('a'.repeat(56))).toBe(`secret-${'a'.repeat(56)}`);
    for (const name of [long, a, b, 'a.b', 'a'.repeat(57)]) {
      expect(secretVolumeName(name)).toMatch(DNS_LABEL);
      expect(secretVolumeName(name).length).toBeLessThanOrEqual(63);
      expect(secretVolumeName(name)).toMatch(/-[0-9a-f]{8}$/);
    }
    expect(secretVolumeName(a)).not.toBe(secretVolumeName(b));
    expect(secretVolumeName(long)).toBe(secretVolumeName('x'.repeat(253)));
  });

  test('fails when two Secrets would still share a volume name, naming where one of them is used', () => {
    // GIVEN a Secret named like the hashed volume name of another
    const { chart } = givenChart();
    const twin = secretVolumeName('a.b').slice('secret-'.length);
    const config = { x: SecretFile.fromSecret('a.b', 'k'), y: [SecretFile.fromSecret(twin, 'k')] };
    // WHEN / THEN
    expect(() => resolveSecretFiles(chart, config, '/etc/prometheus/secrets'))
      .toThrow(`test: invalid 'x': Secrets '${twin}' and 'a.b' would share the volume name 'secret-${twin}': rename one`);
  });
});

describe('resolveSecretFiles', () => {
  test('replaces each SecretFile with its path under the folder, and returns one mount per Secret, sorted', () => {
    // GIVEN a rendered config with SecretFile values, one Secret twice, and a list shared by two entries
    const { chart } = givenChart();
    const shared = ['a'];
    const config = { b: { file: SecretFile.fromSecret('zeta', 'k1') }, list: [SecretFile.fromSecret('alpha', 'k'), SecretFile.fromSecret('zeta', 'k2')], s1: shared, s2: shared, n: 3 };
    // WHEN
    const { config: resolved, mounts } = resolveSecretFiles(chart, config, '/etc/x/secrets');
    // THEN
    expect(resolved).toEqual({ b: { file: '/etc/x/secrets/zeta/k1' }, list: ['/etc/x/secrets/alpha/k', '/etc/x/secrets/zeta/k2'], s1: ['a'], s2: ['a'], n: 3 });
    expect(resolved.s1).not.toBe(resolved.s2);
    expect(mounts).toEqual([
      { secretName: 'alpha', volumeName: 'secret-alpha', mountPath: '/etc/x/secrets/alpha' },
      { secretName: 'zeta', volumeName: 'secret-zeta', mountPath: '/etc/x/secrets/zeta' },
    ]);
    // (and the input is left as it was)
    expect(SecretFile.isSecretFile(config.b.file)).toBe(true);
  });

  test('fails when a plain string points into the folder, where nothing would be mounted for it', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => resolveSecretFiles(chart, { a: [{ file: '/etc/x/secrets/s/k' }] }, '/etc/x/secrets'))
      .toThrow("test: invalid 'a[0].file': '/etc/x/secrets/s/k' is a path into /etc/x/secrets, where only the Secrets of SecretFile values are mounted: use SecretFile.fromSecret(secretName, key)");
  });
});
