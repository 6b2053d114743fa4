// The part of Go's regexp/syntax parser (Parse with syntax.Perl, as
// Prometheus compiles label matcher regexes) that decides whether a regex is
// valid, ported to say so at synth time, and whether a valid one matches the
// empty string (fully anchored, as Prometheus anchors matchers).
//
// Not ported: the size limits (a compiled program over ~3.3M instructions,
// nesting deeper than 1000), which no hand-written matcher reaches.

/** Why Go refuses a regex, in its words (`invalid escape sequence: \8`), or undefined. */
export interface Re2Result {
  readonly error?: string;
  /** Whether the (valid) regex matches the empty string. */
  readonly matchesEmpty: boolean;
}

type Node =
  | { op: 'char' } // a literal or a class: consumes one character
  | { op: 'empty' } // empty match, ^, $, \A, \z, \B: match the empty string
  | { op: 'wordBoundary' } // \b: never on an empty string
  | { op: 'repeat'; min: number; max: number; sub: Node }
  | { op: 'concat'; subs: Node[] }
  | { op: 'alternate'; subs: Node[] }
  | { op: 'leftParen'; flags: number } // pseudo: an open group
  | { op: 'verticalBar' }; // pseudo: a pending alternation

class Re2Error extends Error {}

const MAX_REPEAT = 1000;

// Flags that change what is valid.
const FOLD_CASE = 1;

const PERL_CLASSES = new Set(['\\d', '\\D', '\\s', '\\S', '\\w', '\\W']);
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space',
  'upper', 'word', 'xdigit'].flatMap(n => [`[:${n}:]`, `[:^${n}:]`]));

/** Go's unicode.Categories keys, and "Any". Names are case-sensitive, aliases (`Letter`) are not accepted. */
const UNICODE_CATEGORIES = ['Any', 'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd',
  'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs'];
/** Go's unicode.Scripts keys (Unicode 15). */
const UNICODE_SCRIPTS = ('Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki '
  + 'Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common '
  + 'Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan '
  + 'Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo '
  + 'Hatran Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada '
  + 'Katakana Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu '
  + 'Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui '
  + 'Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue '
  + 'Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian '
  + 'Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa '
  + 'Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian '
  + 'Sora_Sompeng Soyombo Sundanese Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangsa Tangut '
  + 'Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square').split(' ');
const UNICODE_TABLES = new Set([...UNICODE_CATEGORIES, ...UNICODE_SCRIPTS]);

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);
const unhex = (c: string | undefined) => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1);

/** The regex characters Go's regexp.QuoteMeta escapes. */
const META = /[\\.+*?()|[\]{}^$]/;

/**
 * Checks a label matcher regex as Prometheus 3.5 does (`labels.NewFastRegexMatcher`):
 * a plain alternation of literals is taken as is, anything else must parse
 * with Go's regexp/syntax in Perl mode.
 */
export function checkRe2(regex: string, validUtf8 = true): Re2Result {
  const literals = regex.split('|');
  if (!literals.some(l => META.test(l))) return { matchesEmpty: literals.includes('') };
  if (!validUtf8) return { error: 'invalid UTF-8', matchesEmpty: false };
  try {
    return { matchesEmpty: nullable(new Re2Parser(regex).parse()) };
  } catch (e) {
    if (e instanceof Re2Error) return { error: e.message, matchesEmpty: false };
    throw e;
  }
}

function nullable(n: Node): boolean {
  switch (n.op) {
    case 'char': case 'wordBoundary': return false;
    case 'empty': return true;
    case 'repeat': return n.min === 0 || nullable(n.sub);
    case 'concat': return n.subs.every(nullable);
    case 'alternate': return n.subs.some(nullable);
    default: return false;
  }
}

function fail(code: string, expr: string): never {
  throw new Re2Error(`${code}: \`${expr}\``);
}

function isPseudo(n: Node): boolean {
  return n.op === 'leftParen' || n.op === 'verticalBar';
}

/** Go's repeatIsValid: nested counted repetitions multiply, up to 1000. */
function repeatIsValid(n: Node, limit: number): boolean {
  if (n.op === 'repeat') {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.floor(limit / m);
    return repeatIsValid(n.sub, limit);
  }
  if (n.op === 'concat' || n.op === 'alternate') return n.subs.every(s => repeatIsValid(s, limit));
  return true;
}

class Re2Parser {
  private readonly stack: Node[] = [];
  private flags = 0;

  constructor(private readonly whole: string) {}

  public parse(): Node {
    // Runes, so that offsets never split a surrogate pair.
    let t = this.whole;
    let lastRepeat = '';
    while (t !== '') {
      let repeat = '';
      const c = t[0];
      switch (c) {
        case '(':
          if (t.length >= 2 && t[1] === '?') {
            t = this.parsePerlFlags(t);
            break;
          }
          this.stack.push({ op: 'leftParen', flags: this.flags });
          t = t.slice(1);
          break;
        case '|':
          this.parseVerticalBar();
          t = t.slice(1);
          break;
        case ')':
          this.parseRightParen();
          t = t.slice(1);
          break;
        case '^': case '$':
          this.push({ op: 'empty' });
          t = t.slice(1);
          break;
        case '.':
          this.push({ op: 'char' });
          t = t.slice(1);
          break;
        case '[':
          t = this.parseClass(t);
          break;
        case '*': case '+': case '?': {
          const before = t;
          const after = this.repeat(c === '+' ? 1 : 0, c === '?' ? 1 : -1, before, t.slice(1), lastRepeat);
          repeat = before;
          t = after;
          break;
        }
        case '{': {
          const before = t;
          const r = parseRepeat(t);
          if (!r) {
            this.push({ op: 'char' }); // not a repetition: a literal '{'
            t = t.slice(1);
            break;
          }
          const { min, max, rest } = r;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            fail('invalid repeat count', before.slice(0, before.length - rest.length));
          }
          t = this.repeat(min, max, before, rest, lastRepeat);
          repeat = before;
          break;
        }
        case '\\':
          t = this.parseBackslash(t);
          break;
        default:
          this.push({ op: 'char' });
          t = t.slice(String.fromCodePoint(t.codePointAt(0)!).length);
      }
      lastRepeat = repeat;
    }
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    if (this.stack.length !== 1) fail('missing closing )', this.whole);
    return this.stack[0];
  }

  private push(n: Node): void {
    this.stack.push(n);
  }

  private repeat(min: number, max: number, before: string, after: string, lastRepeat: string): string {
    if (after.length > 0 && after[0] === '?') after = after.slice(1); // non-greedy
    if (lastRepeat !== '') fail('invalid nested repetition operator', lastRepeat.slice(0, lastRepeat.length - after.length));
    const sub = this.stack[this.stack.length - 1];
    if (!sub || isPseudo(sub)) fail('missing argument to repetition operator', before.slice(0, before.length - after.length));
    const re: Node = { op: 'repeat', min, max, sub };
    this.stack[this.stack.length - 1] = re;
    if (before[0] === '{' && (min >= 2 || max >= 2) && !repeatIsValid(re, MAX_REPEAT)) {
      fail('invalid repeat count', before.slice(0, before.length - after.length));
    }
    return after;
  }

  private parseBackslash(t: string): string {
    if (t.length >= 2) {
      switch (t[1]) {
        case 'A': case 'z': case 'B':
          this.push({ op: 'empty' });
          return t.slice(2);
        case 'b':
          this.push({ op: 'wordBoundary' });
          return t.slice(2);
        case 'C':
          fail('invalid escape sequence', t.slice(0, 2));
          break;
        case 'Q': {
          const end = t.indexOf('\\E', 2);
          const lit = end < 0 ? t.slice(2) : t.slice(2, end);
          for (const _ of lit) this.push({ op: 'char' });
          return end < 0 ? '' : t.slice(end + 2);
        }
      }
    }
    if (t.length >= 2 && (t[1] === 'p' || t[1] === 'P')) {
      const rest = parseUnicodeClass(t);
      this.push({ op: 'char' });
      return rest;
    }
    if (PERL_CLASSES.has(t.slice(0, 2))) {
      this.push({ op: 'char' });
      return t.slice(2);
    }
    const { rest } = parseEscape(t);
    this.push({ op: 'char' });
    return rest;
  }

  private parsePerlFlags(s: string): string {
    const startsWithP = s.length > 4 && s[2] === 'P' && s[3] === '<';
    const startsWithName = s.length > 3 && s[2] === '<';
    if (startsWithP || startsWithName) {
      const end = s.indexOf('>');
      if (end < 0) fail('invalid named capture', s);
      const name = s.slice(startsWithP ? 4 : 3, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) fail('invalid named capture', s.slice(0, end + 1));
      this.stack.push({ op: 'leftParen', flags: this.flags });
      return s.slice(end + 1);
    }
    let t = s.slice(2);
    let flags = this.flags;
    let sign = +1;
    let sawFlag = false;
    while (t !== '') {
      const c = String.fromCodePoint(t.codePointAt(0)!);
      t = t.slice(c.length);
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        if (c === 'i') flags = sign > 0 ? flags | FOLD_CASE : flags & ~FOLD_CASE;
        sawFlag = true;
        continue;
      }
      if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
        continue;
      }
      if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        if (c === ':') this.stack.push({ op: 'leftParen', flags: this.flags });
        this.flags = flags;
        return t;
      }
      break;
    }
    return fail('invalid or unsupported Perl syntax', s.slice(0, s.length - t.length));
  }

  private parseVerticalBar(): void {
    this.concat();
    if (!this.swapVerticalBar()) this.stack.push({ op: 'verticalBar' });
  }

  private parseRightParen(): void {
    this.concat();
    if (this.swapVerticalBar()) this.stack.pop();
    this.alternate();
    const n = this.stack.length;
    if (n < 2) fail('unexpected )', this.whole);
    const re1 = this.stack.pop()!;
    const re2 = this.stack.pop()!;
    if (re2.op !== 'leftParen') fail('unexpected )', this.whole);
    this.flags = re2.flags;
    this.push(re1);
  }

  /** Collapses everything above the topmost `|` or `(` into a concatenation. */
  private concat(): void {
    let i = this.stack.length;
    while (i > 0 && !isPseudo(this.stack[i - 1])) i--;
    const subs = this.stack.splice(i);
    this.push(subs.length === 0 ? { op: 'empty' } : subs.length === 1 ? subs[0] : { op: 'concat', subs });
  }

  /** Collapses everything above the topmost `(` into an alternation. */
  private alternate(): void {
    let i = this.stack.length;
    while (i > 0 && this.stack[i - 1].op !== 'leftParen') i--;
    const subs = this.stack.splice(i).filter(n => n.op !== 'verticalBar');
    this.push(subs.length === 1 ? subs[0] : { op: 'alternate', subs });
  }

  /** Moves a finished alternative below the pending `|`, as Go does. */
  private swapVerticalBar(): boolean {
    const n = this.stack.length;
    if (n >= 2 && this.stack[n - 2].op === 'verticalBar') {
      [this.stack[n - 2], this.stack[n - 1]] = [this.stack[n - 1], this.stack[n - 2]];
      return true;
    }
    return false;
  }

  private parseClass(s: string): string {
    let t = s.slice(1);
    if (t !== '' && t[0] === '^') t = t.slice(1);
    let first = true;
    while (t === '' || t[0] !== ']' || first) {
      first = false;
      if (t.length > 2 && t[0] === '[' && t[1] === ':') {
        const i = t.indexOf(':]', 2);
        if (i >= 0) {
          const name = t.slice(0, i + 2);
          if (!POSIX_CLASSES.has(name)) fail('invalid character class range', name);
          t = t.slice(i + 2);
          continue;
        }
      }
      if (t.length >= 2 && t[0] === '\\' && (t[1] === 'p' || t[1] === 'P')) {
        t = parseUnicodeClass(t);
        continue;
      }
      if (PERL_CLASSES.has(t.slice(0, 2))) {
        t = t.slice(2);
        continue;
      }
      const rng = t;
      const lo = parseClassChar(t, s);
      t = lo.rest;
      if (t.length >= 2 && t[0] === '-' && t[1] !== ']') {
        const hi = parseClassChar(t.slice(1), s);
        t = hi.rest;
        if (hi.rune < lo.rune) fail('invalid character class range', rng.slice(0, rng.length - t.length));
      }
    }
    this.push({ op: 'char' });
    return t.slice(1);
  }
}

/** {min}, {min,} (max -1) or {min,max}; undefined when not of that form (then `{` is a literal); min -1 when too big. */
function parseRepeat(s: string): { min: number; max: number; rest: string } | undefined {
  let t = s.slice(1);
  const a = parseDecimal(t);
  if (!a) return undefined;
  let min = a.n;
  let max: number;
  t = a.rest;
  if (t === '') return undefined;
  if (t[0] !== ',') {
    max = min;
  } else {
    t = t.slice(1);
    if (t === '') return undefined;
    if (t[0] === '}') {
      max = -1;
    } else {
      const b = parseDecimal(t);
      if (!b) return undefined;
      max = b.n;
      t = b.rest;
      if (max < 0) min = -1;
    }
  }
  if (t === '' || t[0] !== '}') return undefined;
  return { min, max, rest: t.slice(1) };
}

/** A decimal without leading zeros; -1 when 1e8 or more. */
function parseDecimal(s: string): { n: number; rest: string } | undefined {
  if (!isDigit(s[0])) return undefined;
  if (s.length >= 2 && s[0] === '0' && isDigit(s[1])) return undefined;
  let i = 0;
  while (isDigit(s[i])) i++;
  let n = 0;
  for (const d of s.slice(0, i)) {
    if (n >= 1e8) {
      n = -1;
      break;
    }
    n = n * 10 + Number(d);
  }
  return { n, rest: s.slice(i) };
}

function parseUnicodeClass(s: string): string {
  let t = s.slice(2);
  let seq: string;
  let name: string;
  const c = t === '' ? '' : String.fromCodePoint(t.codePointAt(0)!);
  t = t.slice(c.length);
  if (c !== '{') {
    seq = s.slice(0, s.length - t.length);
    name = seq.slice(2);
  } else {
    const end = s.indexOf('}');
    if (end < 0) fail('invalid character class range', s);
    seq = s.slice(0, end + 1);
    t = s.slice(end + 1);
    name = s.slice(3, end);
  }
  if (name.startsWith('^')) name = name.slice(1);
  if (!UNICODE_TABLES.has(name)) fail('invalid character class range', seq);
  return t;
}

function parseClassChar(s: string, wholeClass: string): { rune: number; rest: string } {
  if (s === '') fail('missing closing ]', wholeClass);
  if (s[0] === '\\') return parseEscape(s);
  const c = String.fromCodePoint(s.codePointAt(0)!);
  return { rune: c.codePointAt(0)!, rest: s.slice(c.length) };
}

/** A single-character escape: `\.`, `\n`, `\x41`, `\x{263a}`, `\101`... */
function parseEscape(s: string): { rune: number; rest: string } {
  let t = s.slice(1);
  if (t === '') throw new Re2Error('trailing backslash at end of expression: ``');
  const c = String.fromCodePoint(t.codePointAt(0)!);
  t = t.slice(c.length);
  const bad = () => fail('invalid escape sequence', s.slice(0, s.length - t.length));
  if (c.length === 1 && c.charCodeAt(0) < 0x80 && !isAlnum(c)) return { rune: c.charCodeAt(0), rest: t };
  switch (c) {
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      // A single non-zero digit would be a backreference: not supported.
      if (c !== '0' && (t === '' || t[0] < '0' || t[0] > '7')) return bad();
      let r = Number(c);
      for (let i = 1; i < 3 && t !== '' && t[0] >= '0' && t[0] <= '7'; i++) {
        r = r * 8 + Number(t[0]);
        t = t.slice(1);
      }
      return { rune: r, rest: t };
    }
    case 'x': {
      if (t === '') return bad();
      const d = t[0];
      t = t.slice(1);
      if (d === '{') {
        let nhex = 0;
        let r = 0;
        for (;;) {
          if (t === '') return bad();
          const h = t[0];
          t = t.slice(1);
          if (h === '}') break;
          const v = unhex(h);
          if (v < 0) return bad();
          r = r * 16 + v;
          if (r > 0x10ffff) return bad();
          nhex++;
        }
        if (nhex === 0) return bad();
        return { rune: r, rest: t };
      }
      const x = unhex(d);
      const y = unhex(t[0]);
      t = t.slice(1);
      if (x < 0 || y < 0) return bad();
      return { rune: x * 16 + y, rest: t };
    }
    case 'a': return { rune: 7, rest: t };
    case 'f': return { rune: 12, rest: t };
    case 'n': return { rune: 10, rest: t };
    case 'r': return { rune: 13, rest: t };
    case 't': return { rune: 9, rest: t };
    case 'v': return { rune: 11, rest: t };
    default: return bad();
  }
}
