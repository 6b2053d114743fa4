import { Testing } from 'cdk8s';
import { EXAMPLES } from '../../examples';
import { testApp } from '../support/synth';

// The examples are what `cdk8s synth` writes to dist/: any change to them is a
// change users will apply, so the snapshot shows it (including renamed objects).
describe('examples', () => {
  test.each(Object.entries(EXAMPLES))('%s synthesizes to the recorded manifests', (_name, build) => {
    // GIVEN
    const app = testApp();
    // WHEN
    const chart = build(app);
    // THEN
    expect(Testing.synth(chart)).toMatchSnapshot();
  });
});
