import { App, Chart } from 'cdk8s';
import { article } from './article';
import { globalView, globalViewEuWest, globalViewUsEast } from './global-view';
import { longTermStorage } from './long-term-storage';
import { minimal } from './minimal';
import { platform } from './platform';

/**
 * Every example, by name: `cdk8s synth` writes each to dist/<name>.k8s.yaml,
 * and every whole-example test (snapshot, schema, references, policy) runs
 * over all of them.
 */
export const EXAMPLES: Record<string, (app: App) => Chart> = {
  'minimal': minimal,
  'article': article,
  'long-term-storage': longTermStorage,
  'global-view-eu-west': globalViewEuWest,
  'global-view-us-east': globalViewUsEast,
  'global-view': globalView,
  'platform': platform,
};
