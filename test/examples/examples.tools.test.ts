// The real promtool and amtool on what every example renders: each Prometheus'
// prometheus.yml and rule files, each Alertmanager's alertmanager.yml.
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { tempDir } from '../support/daemon';
import { prometheusPodFilesystem } from '../support/prometheus-pod';
import { container, find, flagValues, Manifest, testApp } from '../support/synth';
import { runTool } from '../support/tools';

const SECRET_DIRS = ['/etc/prometheus/secrets', '/etc/alertmanager/secrets'];

/**
 * Points the Secret-file paths of a rendered config at `root` and creates a dummy
 * file for each: the tools check that referenced files exist, as the mounted
 * Secrets make them exist in the pod.
 */
function withSecretFiles(text: string, root: string): string {
  let out = text;
  for (const dir of SECRET_DIRS) {
    for (const [path] of text.matchAll(new RegExp(`${dir}/[^\\s"']+`, 'g'))) {
      const local = join(root, path);
      mkdirSync(dirname(local), { recursive: true });
      writeFileSync(local, 'https://example.com/placeholder');
    }
    out = out.split(`${dir}/`).join(`${join(root, dir)}/`);
  }
  return out;
}

function workloadsWith(manifests: Manifest[], containerName: string): Manifest[] {
  return manifests.filter(m => m.kind === 'StatefulSet' && m.spec.template.spec.containers.some((c: any) => c.name === containerName));
}

describe.each(Object.entries(EXAMPLES))('example %s with the real tools', (_name, build) => {
  const manifests = Testing.synth(build(testApp())) as Manifest[];

  test('promtool accepts every Prometheus config and its rules', () => {
    // GIVEN every Prometheus of the example, its files where the container sees them
    const prometheuses = workloadsWith(manifests, 'prometheus');
    expect(prometheuses.length).toBeGreaterThan(0);
    for (const sts of prometheuses) {
      const pod = prometheusPodFilesystem(manifests, sts.metadata.name);
      writeFileSync(pod.configFile, withSecretFiles(readFileSync(pod.configFile, 'utf8'), pod.root));
      // WHEN promtool checks the config (and the rule files it loads)
      const result = runTool('promtool', ['check', 'config', '--lint=all', '--lint-fatal', pod.configFile], { timeoutMs: 20_000 });
      // THEN both are valid, and the rule glob matched the rules file
      expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS: 1 rule files found') });
    }
  }, 30_000);

  test('amtool accepts every Alertmanager config', () => {
    // GIVEN every Alertmanager of the example
    for (const sts of workloadsWith(manifests, 'alertmanager')) {
      const am = container(sts, 'alertmanager');
      const file = flagValues(am.args, '--config.file')[0];
      const mount = am.volumeMounts.find((m: any) => file.startsWith(`${m.mountPath}/`));
      const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      const text = find(manifests, 'ConfigMap', volume.configMap.name).data[file.slice(mount.mountPath.length + 1)];
      const dir = tempDir('example-am');
      writeFileSync(join(dir, 'alertmanager.yml'), withSecretFiles(text, dir));
      // WHEN amtool checks it
      const result = runTool('amtool', ['check-config', join(dir, 'alertmanager.yml')], { timeoutMs: 20_000 });
      // THEN it is valid
      expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
    }
  }, 30_000);
});
