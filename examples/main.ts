import { App } from 'cdk8s';
import { EXAMPLES } from './index';

// `cdk8s synth` writes one file per chart: dist/minimal.k8s.yaml, dist/article.k8s.yaml, …
const app = new App();
Object.values(EXAMPLES).forEach(build => build(app));
app.synth();
