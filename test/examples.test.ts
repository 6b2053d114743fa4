import { Testing } from 'cdk8s';
import { article } from '../examples/article';
import { minimal } from '../examples/minimal';

// The examples are what `cdk8s synth` writes to dist/: any change to them is a
// change users will apply, so the snapshot shows it (including renamed objects).
describe('examples', () => {
  test.each([
    ['minimal', minimal],
    ['article', article],
  ])('%s synthesizes to the recorded manifests', (_name, build) => {
    // GIVEN
    const app = Testing.app();
    // WHEN
    const chart = build(app);
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
