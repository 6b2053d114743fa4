import { App } from 'cdk8s';
import { article } from './article';
import { minimal } from './minimal';

// `cdk8s synth` writes one file per chart: dist/minimal.k8s.yaml, dist/article.k8s.yaml.
const app = new App();
minimal(app);
article(app);
app.synth();
