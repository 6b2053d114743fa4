import { IConstruct } from 'constructs';
import { invalid } from '../../errors';
import { re2Problem, validateLabelName } from '../common/validate';

/**
 * Builds matcher strings for routes and inhibit rules with the value quoted
 * and escaped, so regular expressions need no double escaping:
 * `AlertMatcher.regex('instance', '.*\\.example\\.com')`.
 */
export class AlertMatcher {
  /** `label="value"` */
  public static eq(label: string, value: string): string {
    return `${label}=${quote(value)}`;
  }

  /** `label!="value"` */
  public static notEq(label: string, value: string): string {
    return `${label}!=${quote(value)}`;
  }

  /** `label=~"regex"`: the regex is anchored at both ends, as in PromQL. */
  public static regex(label: string, regex: string): string {
    return `${label}=~${quote(regex)}`;
  }

  /** `label!~"regex"` */
  public static notRegex(label: string, regex: string): string {
    return `${label}!~${quote(regex)}`;
  }

  private constructor() {}
}

// The escapes both of Alertmanager's matcher parsers (classic and UTF-8) read alike.
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const MATCHER = /^\s*([^\s=!~"]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;
const QUOTED = /^"((?:[^"\\]|\\.)*)"$/s;

/**
 * Checks one matcher in Prometheus syntax, `label op "value"`, and returns it.
 * Values must be double-quoted, and only `\\`, `\"` and `\n` may be escaped:
 * these are the escapes the classic and the UTF-8 matcher parsers agree on, so the
 * matcher means the same in every Alertmanager feature mode.
 */
export function validateMatcher(scope: IConstruct, field: string, matcher: string): string {
  const m = MATCHER.exec(matcher);
  if (!m) invalid(scope, field, `'${matcher}' is not a matcher like severity="critical" (operators =, !=, =~, !~)`);
  const [, label, op, rawValue] = m;
  validateLabelName(scope, field, label, true);
  const q = QUOTED.exec(rawValue);
  if (!q) {
    invalid(scope, field, `the value in '${matcher}' must be double-quoted, one matcher per entry, e.g. ${label}${op}"${rawValue.replace(/"/g, '')}" (AlertMatcher builds it)`);
  }
  // Escapes pair up from the left: in `\\d` the first backslash escapes the second, and `d` is a plain letter.
  const bad = [...q[1].matchAll(/\\(.)/gs)].find(e => !'\\"n'.includes(e[1]));
  if (bad) {
    invalid(scope, field, `'${matcher}' has the escape '\\${bad[1]}': only \\\\, \\" and \\n are allowed; write a literal backslash as \\\\ (AlertMatcher.regex escapes for you)`);
  }
  if (op === '=~' || op === '!~') {
    const value = q[1].replace(/\\(.)/gs, (_, c: string) => (c === 'n' ? '\n' : c));
    validateRe2(scope, field, value);
  }
  return matcher;
}

/**
 * Checks a Go RE2 regular expression by compiling it with JavaScript after
 * translating RE2-only syntax (flag groups, `(?P<name>`), and rejecting what RE2
 * lacks (look-around, back-references). Close enough to catch the common mistakes.
 */
export function validateRe2(scope: IConstruct, field: string, regex: string): string {
  const problem = re2Problem(regex);
  if (problem) {
    invalid(scope, field, /lookahead|lookbehind/.test(problem)
      ? `'${regex}' uses look-around, which Go's RE2 does not support`
      : `'${regex}' is not a valid regular expression: ${problem}`);
  }
  return regex;
}

/** A list of label names (`group_by`, inhibit `equal`): valid and without repeats. */
export function validateLabelList(scope: IConstruct, field: string, labels: string[] | undefined, allowAll: boolean): string[] | undefined {
  if (labels === undefined) return undefined;
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    if (l === '...' && allowAll) {
      if (labels.length > 1) invalid(scope, `${field}[${i}]`, "'...' (group by all labels) cannot be combined with other labels");
    } else {
      validateLabelName(scope, `${field}[${i}]`, l, true);
    }
    if (seen.has(l)) invalid(scope, `${field}[${i}]`, `duplicate label '${l}'`);
    seen.add(l);
  });
  return labels;
}
