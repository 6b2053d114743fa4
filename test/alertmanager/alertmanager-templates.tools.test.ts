// Notification templates as the pod sees them, loaded by the real amtool.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Alertmanager } from '../../lib';
import { tempDir } from '../support/daemon';
import { find, givenChart, synth } from '../support/synth';
import { runTool } from '../support/tools';

describe('Alertmanager notification templates with the real amtool', () => {
  test('amtool loads the rendered config with its template files', () => {
    // GIVEN an Alertmanager whose receiver uses a template from templateFiles
    const { chart } = givenChart();
    new Alertmanager(chart, 'alertmanager', {
      templateFiles: { 'team.tmpl': '{{ define "team.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}' },
      config: {
        route: { receiver: 'team' },
        receivers: [{ name: 'team', webhookConfigs: [{ url: 'http://127.0.0.1:9/hook' }] }],
      },
    });
    const manifests = synth(chart);
    // ...laid out as in the pod: both ConfigMaps at their mount paths, under a temp root
    const root = tempDir('am-templates');
    const config = find(manifests, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml'] as string;
    mkdirSync(join(root, 'etc/alertmanager/templates'), { recursive: true });
    for (const [file, content] of Object.entries<string>(find(manifests, 'ConfigMap', 'alertmanager-templates').data)) {
      writeFileSync(join(root, 'etc/alertmanager/templates', file), content);
    }
    writeFileSync(join(root, 'alertmanager.yml'), config.split('/etc/alertmanager/').join(`${root}/etc/alertmanager/`));
    // WHEN amtool checks it (it parses every template the globs match)
    const result = runTool('amtool', ['check-config', join(root, 'alertmanager.yml')], { timeoutMs: 20_000 });
    // THEN the config is valid and the template was found
    expect(result.stdout + result.stderr).toContain('1 templates');
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  }, 30_000);
});
