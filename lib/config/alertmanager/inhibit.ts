import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { compact } from '../common/validate';
import { validateLabelList, validateMatcher } from './matchers';

/**
 * Mutes alerts matching `targetMatchers` while an alert matching
 * `sourceMatchers` fires with the same values of the `equal` labels,
 * e.g. warnings while the critical alert of the same cluster fires.
 */
export interface InhibitRule {
  /**
   * A name shown in logs and the API.
   * @default none
   */
  readonly name?: string;
  /**
   * Matchers (Prometheus syntax, see {@link AlertMatcher}) the inhibiting alert must match.
   * Required: with none, every alert would inhibit the targets.
   */
  readonly sourceMatchers: string[];
  /**
   * Matchers of the alerts that are muted. Required: with none, the rule would
   * mute every alert, the source alerts themselves included.
   */
  readonly targetMatchers: string[];
  /**
   * Labels whose values must be the same in source and target alert.
   * @default none: any source alert inhibits every target alert
   */
  readonly equal?: string[];
}

export function renderInhibitRules(scope: IConstruct, field: string, rules: InhibitRule[] | undefined): unknown[] | undefined {
  return rules?.map((rule, i) => {
    const f = `${field}[${i}]`;
    for (const key of ['sourceMatchers', 'targetMatchers'] as const) {
      if (!rule[key]?.length) invalid(scope, `${f}.${key}`, 'needs at least one matcher');
    }
    return compact({
      name: rule.name,
      source_matchers: rule.sourceMatchers.map((m, j) => validateMatcher(scope, `${f}.sourceMatchers[${j}]`, m)),
      target_matchers: rule.targetMatchers.map((m, j) => validateMatcher(scope, `${f}.targetMatchers[${j}]`, m)),
      equal: validateLabelList(scope, `${f}.equal`, rule.equal, false),
    });
  });
}
