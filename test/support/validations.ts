import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';
import * as ts from 'typescript';

/**
 * Finds, with the TypeScript compiler, every place in lib/ that names a prop
 * in an error, so a test can require a bad-input case for each (as
 * test/policy requires a breakage for each policy rule).
 *
 * Every validation of the library ends in `invalid(scope, prop, problem)`,
 * `new ValidationError(scope, prop, problem)` or `new InvalidValueError(factory,
 * argument, problem)` of lib/errors.ts. Helpers such as `validateCount`,
 * `promDurationProp`, the config renderers of lib/config/** and private
 * methods like `MonitoringIngress.validateHost` pass their own `prop` or
 * `field` parameter on, often extended (`${field}.name`), also through a
 * renderer passed as an argument. They are not listed here but found: a
 * function is a validator when one of its parameters flows into the prop of
 * a validator it calls. A new helper, or a new call of an old one, is found
 * without touching this file.
 *
 * A *site* is a validator call whose prop argument holds literal text
 * (`'replicas'`, `` `runAs.${key}` ``, `` `${field}.name` ``), a string default
 * of a validator's prop parameter (`prop = 'routes'`), or a node validation
 * message written as `<path>: invalid '<prop>': …`. Its *props* are the full
 * prop paths that errors through it can name, from the constructs' props down:
 * the callers' prefixes and the callees' suffixes composed in, with what only
 * the run time knows (a job name, an index) as `*`. A string constant, a
 * conditional, or a loop over a literal list (`for (const key of ['user',
 * 'group'])`) is followed to its values. A site is covered when an expected
 * message of a test names a prop that matches one of its props.
 */

/** A piece of a prop: literal text, a run-time value, or a parameter of the function the code is in. */
type Segment = { readonly text: string } | { readonly any: true } | { readonly ref: ts.ParameterDeclaration };
type Pattern = readonly Segment[];
type Env = ReadonlyMap<ts.ParameterDeclaration, Pattern[]>;
/** Function-valued parameters, bound to the functions the caller passed. */
type FnEnv = ReadonlyMap<ts.ParameterDeclaration, ts.Node[]>;
type Call = ts.CallExpression | ts.NewExpression;

/** A place in lib/ that names a prop in an error. */
export interface ValidationSite {
  /** `lib/…/file.ts:line`. */
  readonly location: string;
  /** The file, relative to the repository root, with `/`. */
  readonly file: string;
  /** The prop argument as written, e.g. `'replicas'` or `` `${field}.name` ``. */
  readonly written: string;
  /** The full props errors through this site can name, `*` for run-time parts, e.g. `scrapeJobs[*].relabelings[*].regex`. */
  readonly props: string[];
  /**
   * For InvalidValueError: the factories its messages start with, e.g.
   * `ContainerImage.of`; undefined for construct errors (`<path>: invalid …`).
   */
  readonly factories?: string[];
  /** Whether `message`, an expected error message of a test, names one of the props (of one of the factories). */
  matches(message: string): boolean;
}

/** A function whose parameters at `propParams` end up in the prop of an error. */
interface Validator {
  /** The function-like with a body; undefined for the three of lib/errors.ts. */
  readonly decl?: ts.SignatureDeclaration;
  readonly propParams: Set<number>;
  /** InvalidValueError: the index of the factory argument. */
  readonly factoryParam?: number;
}

const MAX_PATTERNS = 64;
const ERRORS_FILE = 'lib/errors.ts';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every validation site of lib/ in the repository at `root`, by location. */
export function findValidationSites(root: string): ValidationSite[] {
  const libFiles = new Set(tsFiles(join(root, 'lib')).map(f => f.split(sep).join('/')));
  const program = ts.createProgram([...libFiles], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const sources = program.getSourceFiles().filter(f => libFiles.has(f.fileName));
  const rel = (f: ts.SourceFile) => relative(root, f.fileName).split(sep).join('/');

  // --- the seeds: lib/errors.ts ---------------------------------------------
  const validators = new Map<ts.Node, Validator>();
  const errorsSource = sources.find(f => rel(f) === ERRORS_FILE);
  for (const stmt of errorsSource?.statements ?? []) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name?.text === 'invalid') validators.set(stmt, { propParams: new Set([1]) });
    if (ts.isClassDeclaration(stmt) && stmt.name?.text === 'ValidationError') validators.set(stmt, { propParams: new Set([1]) });
    if (ts.isClassDeclaration(stmt) && stmt.name?.text === 'InvalidValueError') validators.set(stmt, { propParams: new Set([0, 1]), factoryParam: 0 });
  }
  if (validators.size !== 3) throw new Error(`expected invalid, ValidationError and InvalidValueError in ${ERRORS_FILE}`);

  // --- what a name or a call refers to --------------------------------------
  const symbolOf = (node: ts.Node): ts.Symbol | undefined => {
    const symbol = checker.getSymbolAtLocation(node);
    return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  };
  /** The function-like (or seed) an expression names: a function, method, class (its constructor) or arrow constant. */
  const functionNamed = (expr: ts.Expression): ts.Node | undefined => {
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return expr;
    const symbol = symbolOf(ts.isPropertyAccessExpression(expr) ? expr.name : expr);
    for (const decl of symbol?.declarations ?? []) {
      if (validators.has(decl) && !validators.get(decl)!.decl) return decl;
      if (ts.isClassDeclaration(decl)) return decl.members.find(m => ts.isConstructorDeclaration(m) && !!m.body);
      if ((ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && decl.body) return decl;
      if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer
        && (ts.isArrowFunction(decl.initializer) || ts.isFunctionExpression(decl.initializer))) return decl.initializer;
    }
    return undefined;
  };
  /** A function called by name, so its parameters are values its callers give. */
  const isNamedCallable = (fn: ts.Node): fn is ts.SignatureDeclaration => ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)
    || ts.isConstructorDeclaration(fn)
    || ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.isVariableDeclaration(fn.parent) || ts.isPropertyDeclaration(fn.parent)));
  /** The parameter a call's callee is, for calls of a function passed as an argument (`render(scope, field, …)`). */
  const calleeParam = (call: Call): ts.ParameterDeclaration | undefined => {
    if (!ts.isIdentifier(call.expression)) return undefined;
    const decl = symbolOf(call.expression)?.valueDeclaration;
    return decl && ts.isParameter(decl) && isNamedCallable(decl.parent) ? decl : undefined;
  };

  // --- the value of a prop argument, as patterns ----------------------------
  const product = (parts: Pattern[][]): Pattern[] => parts.reduce<Pattern[]>(
    (acc, options) => acc.flatMap(a => options.map(o => [...a, ...o])).slice(0, MAX_PATTERNS), [[]]);
  const ANY: Pattern[] = [[{ any: true }]];
  const evaluate = (expr: ts.Expression, env: Env, seen: ReadonlySet<ts.Node> = new Set()): Pattern[] => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return [[{ text: expr.text }]];
    if (ts.isTemplateExpression(expr)) {
      return product([[[{ text: expr.head.text }]], ...expr.templateSpans.flatMap(s => [evaluate(s.expression, env, seen), [[{ text: s.literal.text }]]])]);
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) {
      return evaluate(expr.expression, env, seen);
    }
    if (ts.isConditionalExpression(expr)) return [...evaluate(expr.whenTrue, env, seen), ...evaluate(expr.whenFalse, env, seen)];
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return product([evaluate(expr.left, env, seen), evaluate(expr.right, env, seen)]);
    }
    if (!ts.isIdentifier(expr)) return ANY;
    const decl = symbolOf(expr)?.valueDeclaration;
    if (!decl || seen.has(decl)) return ANY;
    const inner = new Set([...seen, decl]);
    if (ts.isParameter(decl)) return env.get(decl) ?? (isNamedCallable(decl.parent) ? [[{ ref: decl }]] : ANY);
    if (!ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent)) return ANY;
    const loop = decl.parent.parent;
    if (ts.isForOfStatement(loop)) {
      let list = loop.expression;
      while (ts.isAsExpression(list) || ts.isParenthesizedExpression(list)) list = list.expression;
      return ts.isArrayLiteralExpression(list) ? list.elements.flatMap(e => evaluate(e, env, inner)) : ANY;
    }
    return decl.parent.flags & ts.NodeFlags.Const && decl.initializer ? evaluate(decl.initializer, env, inner) : ANY;
  };
  const refs = (patterns: Pattern[]) => patterns.flatMap(p => p.flatMap(s => ('ref' in s ? [s.ref] : [])));
  const hasText = (patterns: Pattern[]) => patterns.some(p => p.some(s => 'text' in s && s.text !== ''));
  const show = (p: Pattern) => p.map(s => ('text' in s ? s.text : '*')).join('');
  const regexOf = (p: Pattern) => p.map(s => ('text' in s ? escape(s.text) : '.*')).join('');

  // --- every call, and the messages written out -----------------------------
  const calls: Call[] = [];
  const messages: Array<{ node: ts.Node; prop: string }> = [];
  for (const source of sources) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) calls.push(node);
      if (source !== errorsSource && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node))) {
        for (const m of node.text.matchAll(/(?:^|: )invalid '([^']+)'/g)) messages.push({ node, prop: m[1] });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const staticCallee = new Map(calls.map(c => [c, functionNamed(c.expression)]));
  /** The functions passed to `param` by the callers of its function. */
  const passedTo = (param: ts.ParameterDeclaration): ts.Node[] => {
    const fn = param.parent;
    const index = fn.parameters.indexOf(param);
    return calls.filter(c => staticCallee.get(c) === fn && c.arguments?.[index])
      .map(c => functionNamed(c.arguments![index])).filter((f): f is ts.Node => !!f);
  };
  /** The validators a call may run: its callee, or for a passed-in function, what the callers pass (`fnEnv` when known). */
  const targetsOf = (call: Call, fnEnv?: FnEnv): Validator[] => {
    const param = calleeParam(call);
    const fns = param ? fnEnv?.get(param) ?? passedTo(param) : [staticCallee.get(call)];
    return fns.map(f => f && validators.get(f)).filter((v): v is Validator => !!v);
  };
  const propParamsOf = (call: Call, fnEnv?: FnEnv) => [...new Set(targetsOf(call, fnEnv).flatMap(v => [...v.propParams]))];

  // A function is a validator when a parameter of it flows into a prop of a validator it calls.
  for (let changed = true; changed;) {
    changed = false;
    for (const call of calls) {
      for (const i of propParamsOf(call)) {
        const arg = call.arguments?.[i];
        for (const param of arg ? refs(evaluate(arg, new Map())) : []) {
          const fn = param.parent as ts.SignatureDeclaration;
          const index = fn.parameters.indexOf(param);
          const known = validators.get(fn) ?? { decl: fn, propParams: new Set<number>() };
          validators.set(fn, known);
          if (!known.propParams.has(index)) {
            known.propParams.add(index);
            changed = true;
          }
        }
      }
    }
  }
  const validatorCalls = calls.filter(c => propParamsOf(c).length > 0);
  const ownArgs = (call: Call) => propParamsOf(call).map(i => (call.arguments?.[i] ? evaluate(call.arguments[i], new Map()) : []));
  const callsIn = (fn: ts.Node) => validatorCalls.filter(c => c.getSourceFile() === fn.getSourceFile() && c.pos >= fn.pos && c.end <= fn.end);

  // --- sites ----------------------------------------------------------------
  interface Site { file: string; location: string; written: string; props: Set<string>; factories: Set<string>; regexes: RegExp[] }
  const sites = new Map<ts.Node, Site>();
  const addSite = (node: ts.Node, written: string) => {
    const source = node.getSourceFile();
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (!sites.has(node)) sites.set(node, { file: rel(source), location: `${rel(source)}:${line}`, written, props: new Set(), factories: new Set(), regexes: [] });
    return sites.get(node)!;
  };
  for (const call of validatorCalls) {
    if (ownArgs(call).some(hasText)) addSite(call, propParamsOf(call).map(i => call.arguments?.[i]?.getText() ?? '').join(', '));
  }
  const defaults = [...validators.values()].flatMap(v => [...v.propParams].map(i => v.decl?.parameters[i])
    .filter((p): p is ts.ParameterDeclaration => !!p?.initializer && hasText(evaluate(p.initializer, new Map()))));
  defaults.forEach(param => addSite(param, param.getText()));
  for (const { node, prop } of messages) {
    const site = addSite(node, `'${prop}'`);
    site.props.add(prop);
    site.regexes.push(new RegExp(`invalid '${escape(prop)}'`));
  }

  // --- the full props: run every root call down to lib/errors.ts ------------
  /** Runs `call` with its arguments bound by `env`/`fnEnv`; `path` holds the sites passed on the way. */
  const expand = (call: Call, env: Env, fnEnv: FnEnv, path: ts.Node[], stack: ts.Node[]): void => {
    const here = sites.has(call) ? [...path, call] : path;
    for (const v of targetsOf(call, fnEnv)) {
      const args = new Map<number, Pattern[]>();
      for (const i of v.propParams) {
        const arg = call.arguments?.[i];
        const initializer = v.decl?.parameters[i]?.initializer;
        args.set(i, arg ? evaluate(arg, env) : initializer ? evaluate(initializer, new Map()) : ANY);
      }
      if (!v.decl) {
        // lib/errors.ts: the message names these props.
        for (const node of here) {
          const site = sites.get(node)!;
          for (const p of args.get(1)!) {
            site.props.add(show(p));
            site.regexes.push(new RegExp(`invalid '${regexOf(p)}'`));
          }
          if (v.factoryParam !== undefined) args.get(v.factoryParam)!.forEach(f => site.factories.add(show(f)));
        }
        continue;
      }
      const fn = v.decl;
      // A recursive validator (nested routes, a walk over the config) is followed one level deep.
      if (stack.filter(f => f === fn).length > 1) continue;
      const innerEnv = new Map(env);
      for (const [i, a] of args) innerEnv.set(fn.parameters[i], a);
      const innerFnEnv = new Map(fnEnv);
      fn.parameters.forEach((param, i) => {
        const arg = call.arguments?.[i];
        const passed = arg && functionNamed(arg);
        if (passed) innerFnEnv.set(param, [passed]);
      });
      for (const c of callsIn(fn)) {
        const uses = ownArgs(c).some(a => refs(a).some(p => p.parent === fn)) || calleeParam(c)?.parent === fn;
        if (uses) expand(c, innerEnv, innerFnEnv, here, [...stack, fn]);
      }
    }
  };
  // Roots: calls whose props depend on no caller, and the string defaults of prop parameters (for callers outside lib/).
  for (const call of validatorCalls) {
    if (ownArgs(call).every(a => refs(a).length === 0) && !calleeParam(call)) expand(call, new Map(), new Map(), [], []);
  }
  for (const param of defaults) {
    const fn = param.parent;
    const env = new Map([[param, evaluate(param.initializer!, new Map())]]);
    for (const c of callsIn(fn)) {
      if (ownArgs(c).some(a => refs(a).includes(param))) expand(c, env, new Map(), [param], [fn]);
    }
  }

  return [...sites.values()]
    .sort((a, b) => a.location.localeCompare(b.location, 'en', { numeric: true }))
    .map(s => {
      const factories = s.factories.size ? [...s.factories].sort() : undefined;
      const regexes = [...new Map(s.regexes.map(r => [r.source, r])).values()];
      return {
        location: s.location,
        file: s.file,
        written: s.written,
        props: [...s.props].sort(),
        factories,
        matches: (message: string) => regexes.some(r => r.test(message))
          && (factories ? factories.some(f => message.startsWith(`${f}: invalid '`)) : !/^[A-Z]\w*\.\w+: invalid '/.test(message)),
      };
    });
}

/**
 * The props the tests in `files` expect in error messages, each as
 * `invalid '<prop>'` (or `<Factory.method>: invalid '<argument>'`): those written so in a string, template or regex literal
 * (regex escapes undone), and, in a file that builds messages as
 * `` `invalid '${field}'` ``, every string literal that looks like a prop path
 * (the field column of a table of failures).
 */
export function expectedPropsIn(files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const texts: string[] = [];
    let buildsField = false;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) texts.push(node.text);
      if ((ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) && /invalid '$/.test(node.text)) buildsField = true;
      if (ts.isRegularExpressionLiteral(node)) texts.push(node.text.replace(/^\/|\/[a-z]*$/g, '').replace(/\\(.)/g, '$1'));
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const text of texts) {
      for (const m of text.matchAll(/(?:([A-Z]\w*\.\w+): )?invalid '([^']+)'/g)) out.push(`${m[1] ? `${m[1]}: ` : ''}invalid '${m[2]}'`);
      if (buildsField && /^[A-Za-z_][\w.[\]-]*$/.test(text)) out.push(`invalid '${text}'`);
    }
  }
  return out;
}

/** The test files (`*.test.ts`) under `dir`. */
export function testFilesUnder(dir: string): string[] {
  return tsFiles(dir).filter(f => f.endsWith('.test.ts'));
}
