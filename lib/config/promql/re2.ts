import { RE2JS } from 're2js';

// Label matcher regexes, judged as Prometheus 3.5 judges them: RE2 syntax
// (Go's regexp/syntax, which re2js follows: it is a port of RE2/J, itself a
// port of Go's package), and whether a valid one matches the empty string
// as a whole-input match with `.` matching newlines, as Prometheus matches labels.

/** Why Go refuses a regex, in its words (`invalid escape sequence: \8`), or undefined. */
export interface Re2Result {
  readonly error?: string;
  /** Whether the (valid) regex matches the empty string. */
  readonly matchesEmpty: boolean;
}

/** The regex characters Go's regexp.QuoteMeta escapes. */
const META = /[\\.+*?()|[\]{}^$]/;

/**
 * Checks a label matcher regex as Prometheus 3.5 does (`labels.NewFastRegexMatcher`):
 * a plain alternation of literals is taken as is, anything else must parse
 * as RE2 in Perl mode.
 */
export function checkRe2(regex: string, validUtf8 = true): Re2Result {
  const literals = regex.split('|');
  if (!literals.some(l => META.test(l))) return { matchesEmpty: literals.includes('') };
  if (!validUtf8) return { error: 'invalid UTF-8', matchesEmpty: false };
  try {
    // `matches` is a whole-input match: the anchoring Prometheus adds to the parsed
    // regex (not to its text, which a trailing `\Q…` would swallow); DOTALL is its `(?s)`.
    return { matchesEmpty: RE2JS.compile(regex, RE2JS.DOTALL).matches('') };
  } catch (e) {
    return { error: (e as Error).message.replace(/^error parsing regexp: /, ''), matchesEmpty: false };
  }
}
