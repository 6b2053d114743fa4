import { App } from 'cdk8s';
import { Prerequisites } from '../lib';
import { EXAMPLES } from './index';

// `cdk8s synth` writes one file per chart: dist/minimal.k8s.yaml, dist/article.k8s.yaml, …
// and beside each what must exist before it is applied: dist/article.prerequisites.md, …
const app = new App();
Object.values(EXAMPLES).forEach(build => build(app));
app.synth();
Prerequisites.writeMarkdown(app);
