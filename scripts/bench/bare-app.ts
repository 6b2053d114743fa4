// The baseline: a bare cdk8s app with one object, run by the same TypeScript runner.
import { App, Chart } from 'cdk8s';
import { KubeConfigMap } from '../../imports/k8s';

const app = new App();
const chart = new Chart(app, 'bare', { namespace: 'monitoring' });
new KubeConfigMap(chart, 'config', { data: { hello: 'world' } });
app.synth();
