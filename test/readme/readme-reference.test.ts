import { readFileSync } from 'fs';
import { join, resolve } from 'path';

// The README's Reference section is an overview that links API.md, the API
// reference generated from the TSDoc; test/api-docs.test.ts checks that API.md is
// up to date and documents every export and every prop.

const ROOT = resolve(__dirname, '..', '..');

describe('README reference', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const apiMd = readFileSync(join(ROOT, 'API.md'), 'utf8');

  test('links API.md, and each link names an entry of it', () => {
    // GIVEN the README's links into API.md
    const links = [...readme.matchAll(/\]\(API\.md(?:#([^)]+))?\)/g)].map(m => m[1]);
    const anchors = new Set([...apiMd.matchAll(/<a id="([^"]+)"><\/a>/g)].map(m => m[1]));
    // WHEN each anchor is looked up in API.md
    const missing = links.filter(anchor => anchor !== undefined && !anchors.has(anchor));
    // THEN the README links the constructs and no link is dead
    expect(links).toEqual(expect.arrayContaining([undefined, 'Prometheus', 'PrometheusProps', 'MonitoringChart']));
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
