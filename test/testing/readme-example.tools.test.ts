import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { tool } from '../support/tools';

// The README's "Testing your charts" example is a user's jest test: it runs
// here as written, its tests registered in this file, the library imported
// from this checkout and the real promtool in PROMTOOL.

const ROOT = resolve(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = /<!-- testing-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
if (!block) throw new Error('README.md has no <!-- testing-example --> ```ts block');
const dir = join(ROOT, 'build', 'readme-testing-example'); // git-ignored
mkdirSync(dir, { recursive: true });
const file = join(dir, 'monitoring.test.ts');
writeFileSync(file, block[1].replace(/from 'cdk8s-prometheus-thanos(\/testing)?'/g, (_, entry = '') => `from '${join(ROOT, 'lib')}${entry}'`));
process.env.PROMTOOL = tool('promtool');

describe('README testing example', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(file);
});
