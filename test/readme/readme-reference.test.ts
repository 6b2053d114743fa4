import { readFileSync } from 'fs';
import { join, resolve } from 'path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');

/** Every `*Props` interface of the constructs (lib/*.ts) with the props it declares itself. */
function constructProps(): Array<[string, string[]]> {
  const program = ts.createProgram([join(ROOT, 'lib', 'index.ts')], { types: [] });
  const out: Array<[string, string[]]> = [];
  for (const file of program.getSourceFiles()) {
    if (!file.fileName.startsWith(join(ROOT, 'lib')) || file.fileName.includes(`${join('lib', 'config')}`)) continue;
    ts.forEachChild(file, node => {
      if (ts.isInterfaceDeclaration(node) && /(Props|PodOptions)$/.test(node.name.text)) {
        const props = node.members.filter(ts.isPropertySignature).map(m => (m.name as ts.Identifier).text);
        out.push([node.name.text, props]);
      }
    });
  }
  return out;
}

describe('README reference', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const interfaces = constructProps();

  test('covers the constructs', () => {
    // GIVEN / WHEN the props interfaces of lib/
    // THEN there are some (a broken scan would make the next test pass vacuously)
    expect(interfaces.map(([name]) => name)).toEqual(expect.arrayContaining([
      'PrometheusProps', 'ThanosQuerierProps', 'AlertmanagerProps', 'PushgatewayProps', 'MonitoringIngressProps', 'MonitoringChartProps',
    ]));
  });

  test.each(constructProps())('documents every prop of %s', (_name, props) => {
    // GIVEN the props an interface declares
    // WHEN the README is searched for each as `code`
    const missing = props.filter(p => !readme.includes(`\`${p}\``));
    // THEN none is missing
    expect(missing).toEqual([]);
  });
});

describe('README policy rules', () => {
  test('lists every rule of the policy check', () => {
    // GIVEN the rules the policy module checks
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { POLICY_RULES } = require('../../lib/policy/check-policies');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    // WHEN the README is searched for each id
    const missing = (POLICY_RULES as Array<{ id: string }>).map(r => r.id).filter(id => !readme.includes(`| \`${id}\` |`));
    // THEN none is missing
    expect(POLICY_RULES.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
