// Generates API.md, the API reference, from the TSDoc of the two entry points
// (lib/index.ts and lib/testing/index.ts): `npm run docs:api`.
//
//   node scripts/api-docs.mjs [OUT_FILE]    (default: API.md at the repository root)
//
// typedoc converts the entry points (options in typedoc.json) and
// typedoc-plugin-markdown renders one Markdown page per entry point; this script
// shapes the model the way Construct Hub presents a construct library, then merges
// the pages into one file:
// - top-level groups: Constructs (classes that extend Construct), Structs (data
//   interfaces), Classes, Interfaces (`I*` contracts), Enums, Type Aliases,
//   Functions, Constants;
// - getters are listed as properties (name, type, description), as on Construct Hub;
// - a prop's `@default` is its table's Default column;
// - nothing points at what the entry points do not export (the internal base class
//   `Component` shows as the public class it extends, `Construct`).
// The output has no date, path, version or source link: a re-run on the same
// sources is byte-identical (test/api-docs.test.ts relies on it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'API.md'));

/** The published names of the entry points, by the module names typedoc gives them. */
const MODULES = [
  { typedocName: 'index', name: 'cdk8s-prometheus-thanos', page: 'index.md', anchor: 'cdk8s-prometheus-thanos', prefix: '' },
  { typedocName: 'testing', name: 'cdk8s-prometheus-thanos/testing', page: 'testing.md', anchor: 'testing', prefix: 'testing.' },
];

/** Top-level sections, in this order; a section without members is left out. */
const SECTIONS = ['Constructs', 'Structs', 'Classes', 'Interfaces', 'Enums', 'Type Aliases', 'Functions', 'Constants', 'Re-exports'];

// typedoc sorts names with String#localeCompare, whose order depends on the
// locale of the environment (LANG, LC_ALL): pin it so every machine sorts alike.
if (new Intl.Collator().resolvedOptions().locale !== 'en-US') {
  const run = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LC_ALL: 'en_US.UTF-8', LANG: 'en_US.UTF-8' },
  });
  process.exit(run.status ?? 1);
}

const td = await import('typedoc');
const { default: ts } = await import('typescript');
const { MarkdownTheme, MarkdownThemeContext, ModuleRouter } = await import('typedoc-plugin-markdown');
const { Application, Converter, ReflectionKind, ReflectionGroup, ReferenceType, TypeDocReader, TSConfigReader } = td;

async function main() {
  process.chdir(ROOT);
  const tmp = mkdtempSync(join(tmpdir(), 'api-docs-'));
  try {
    const app = await Application.bootstrapWithPlugins(
      { out: tmp, theme: 'api-md', router: 'api-md' },
      [new TypeDocReader(), new TSConfigReader()],
    );
    app.renderer.defineTheme('api-md', ApiTheme);
    app.renderer.defineRouter('api-md', ApiRouter);

    /** Classes that extend Construct, and the public class an internal base stands for. */
    const constructs = new Set();
    const publicBase = new Map();
    /** Classes of static members only: `new ScrapeJobs()` is no API. */
    const noConstructor = new Set();
    /**
     * Members left out: those inherited from the JavaScript runtime's types
     * (`Error.captureStackTrace`), and `@internal` parameter properties
     * (`constructor(/** @internal *\/ readonly access: …)`), whose tag typedoc does not see.
     */
    const leftOut = new Set();
    app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
      const symbol = context.getSymbolFromReflection(reflection);
      if (!symbol) return;
      const declarations = symbol.declarations ?? [];
      if (declarations.length && declarations.every(d => isBuiltin(d.getSourceFile().fileName))) leftOut.add(reflection);
      if (declarations.some(d => ts.isParameter(d) && ts.getJSDocTags(d).some(t => t.tagName.text === 'internal'))) {
        leftOut.add(reflection);
      }
      if (!reflection.kindOf(ReflectionKind.Class)) return;
      const bases = baseClasses(context.checker, context.checker.getDeclaredTypeOfSymbol(symbol));
      if (bases.some(b => b.name === 'Construct' && b.external)) constructs.add(reflection);
      const external = bases.find(b => b.external);
      if (external) publicBase.set(reflection, external.name);
      const declaration = symbol.declarations?.find(d => d.kind === ts.SyntaxKind.ClassDeclaration);
      if (declaration && !bases.length && !declaration.members.some(m => m.kind === ts.SyntaxKind.Constructor)) {
        noConstructor.add(reflection);
      }
    });

    // Before GroupPlugin (-100), so getters are grouped with the properties.
    app.converter.on(Converter.EVENT_RESOLVE_END, context => reshape(context.project, publicBase, noConstructor, leftOut), 0);
    // After GroupPlugin: the top-level sections.
    app.converter.on(Converter.EVENT_RESOLVE_END, context => regroup(context.project, constructs), -200);

    const project = await app.convert();
    if (!project) fail('typedoc could not convert the entry points');
    app.validate(project);
    if (app.logger.hasErrors()) fail('typedoc reported errors');
    await app.generateOutputs(project);
    if (app.logger.hasErrors()) fail('typedoc reported errors');

    writeFileSync(OUT, merge(MODULES.map(m => ({ ...m, text: readFileSync(join(tmp, m.page), 'utf8') }))));
    console.log(`API reference written to ${OUT}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function fail(message) {
  throw new Error(`api-docs: ${message}`);
}

/** The base classes of a class type, nearest first; `external` when declared outside this repository's lib/. */
function baseClasses(checker, type) {
  const out = [];
  for (let t = type; t;) {
    const base = checker.getBaseTypes(t)?.[0];
    const declaration = base?.symbol?.declarations?.[0];
    if (!base || !declaration) break;
    const file = declaration.getSourceFile().fileName;
    out.push({ name: base.symbol.name, external: !file.startsWith(join(ROOT, 'lib') + '/') });
    t = base;
  }
  return out;
}

/** Whether a declaration file is TypeScript's library or Node's types. */
function isBuiltin(fileName) {
  return /\/node_modules\/(typescript\/lib|@types\/node)\//.test(fileName);
}

/** Whether a reference type points at a reflection this documentation has. */
function documented(type) {
  return type instanceof ReferenceType && type.reflection !== undefined;
}

function reshape(project, publicBase, noConstructor, leftOut) {
  for (const reflection of leftOut) {
    if (reflection.parent && !reflection.parent.kindOf(ReflectionKind.SomeModule)) project.removeReflection(reflection);
  }
  const modules = (project.children ?? []).map(c => c.name).sort().join(', ');
  if (modules !== MODULES.map(m => m.typedocName).sort().join(', ')) {
    fail(`modules ${modules}: the entry points changed? (typedoc.config.mjs, MODULES in scripts/api-docs.mjs)`);
  }
  for (const reflection of noConstructor) {
    const constructor = reflection.children?.find(c => c.kindOf(ReflectionKind.Constructor));
    if (constructor) project.removeReflection(constructor);
  }
  for (const reflection of Object.values(project.reflections)) {
    // An internal base class shows as the public class it extends.
    if (reflection.extendedTypes && publicBase.has(reflection)) {
      const publicType = t => (documented(t) ? t : ReferenceType.createBrokenReference(publicBase.get(reflection), project, undefined));
      reflection.extendedTypes = reflection.extendedTypes.map(publicType);
      // The "Extends" list is drawn from the type hierarchy, whose first level is the parents.
      if (reflection.typeHierarchy && !reflection.typeHierarchy.isTarget) {
        reflection.typeHierarchy.types = reflection.typeHierarchy.types.map(publicType);
      }
    }
    // "Inherited from Component.x", "Overrides Component.constructor": the base is internal.
    for (const target of [reflection, ...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature]) {
      if (!target) continue;
      if (target.inheritedFrom && !documented(target.inheritedFrom)) target.inheritedFrom = undefined;
      if (target.overwrites && !documented(target.overwrites)) target.overwrites = undefined;
    }
    // A getter is a read-only property, as on Construct Hub.
    if (reflection.kindOf(ReflectionKind.Accessor) && reflection.getSignature) {
      const getter = reflection.getSignature;
      reflection.kind = ReflectionKind.Property;
      reflection.type = getter.type;
      reflection.comment = getter.comment ?? reflection.comment;
      reflection.implementationOf ??= getter.implementationOf;
      reflection.inheritedFrom ??= getter.inheritedFrom;
      if (!reflection.setSignature) reflection.setFlag(td.ReflectionFlag.Readonly, true);
      reflection.getSignature = undefined;
      reflection.setSignature = undefined;
    }
    // A class property's initializer is an implementation detail (`WEB_PORT`), not a default.
    if (reflection.kindOf(ReflectionKind.Property) && reflection.parent?.kindOf(ReflectionKind.Class)) {
      reflection.defaultValue = undefined;
    }
    // A prop's `@default` is the Default column of its table (the theme shows `@defaultValue`
    // there). Classes keep theirs in the description: their properties are not props.
    const isProp = reflection.kindOf(ReflectionKind.Property) && !reflection.parent?.kindOf(ReflectionKind.Class);
    for (const tag of isProp ? reflection.comment?.blockTags ?? [] : []) {
      if (tag.tag === '@default') {
        tag.tag = '@defaultValue';
        tag.content = tag.content.map(part => ({ ...part, text: part.text.replace(/\s*\n\s*/g, ' ') }));
        const text = tag.content.length === 1 && tag.content[0].kind === 'text' ? tag.content[0].text.trim() : '';
        if (isCode(text)) tag.content = [{ kind: 'code', text: `\`${text}\`` }];
      }
    }
  }
}

const byName = new Intl.Collator('en-US');

/** Whether a `@default` is an expression (`true`, `2`, `Duration.seconds(30)`, `'/'`) rather than prose (`none`). */
function isCode(text) {
  return /^\S+$/.test(text) && (/^(true|false|null|undefined|\d\S*)$/.test(text) || /[.()'"[\]{}/:=]/.test(text));
}

/** Construct Hub's sections for the members of each module. */
function regroup(project, constructs) {
  for (const module of project.children ?? []) {
    const sections = new Map();
    for (const child of module.children ?? []) {
      const section = sectionOf(child, constructs);
      if (!sections.has(section)) sections.set(section, []);
      sections.get(section).push(child);
    }
    const unknown = [...sections.keys()].filter(s => !SECTIONS.includes(s));
    if (unknown.length) fail(`no section for ${unknown.join(', ')} (scripts/api-docs.mjs SECTIONS)`);
    module.groups = SECTIONS.filter(s => sections.has(s)).map(title => {
      const group = new ReflectionGroup(title, module);
      group.children = sections.get(title).sort((a, b) => byName.compare(a.name, b.name));
      return group;
    });
    module.categories = undefined;
  }
}

function sectionOf(reflection, constructs) {
  switch (reflection.kind) {
    case ReflectionKind.Class: return constructs.has(reflection) ? 'Constructs' : 'Classes';
    case ReflectionKind.Interface: return /^I[A-Z]/.test(reflection.name) ? 'Interfaces' : 'Structs';
    case ReflectionKind.Enum: return 'Enums';
    case ReflectionKind.TypeAlias: return 'Type Aliases';
    case ReflectionKind.Function: return 'Functions';
    case ReflectionKind.Variable: return 'Constants';
    case ReflectionKind.Reference: return 'Re-exports';
    default: return ReflectionKind.singularString(reflection.kind);
  }
}

const NO_DEFAULT = '\u0000no default\u0000';

/** The markdown theme, less what a constructor's page does not need ("Returns Prometheus"). */
class ApiContext extends MarkdownThemeContext {
  constructor(...args) {
    super(...args);
    // The Default column is shown when a member of the table has a default; then the
    // others read "-", not `undefined`.
    const { getPropertyDefaultValue } = this.helpers;
    this.helpers.getPropertyDefaultValue = property => getPropertyDefaultValue(property)
      ?? (property.parent?.children?.some(p => getPropertyDefaultValue(p)) ? '-' : null);
    // Likewise a parameter without a default reads "-" (the theme writes `undefined`).
    const { getParameterDefaultValue } = this.helpers;
    this.helpers.getParameterDefaultValue = parameter => (parameter.defaultValue ? getParameterDefaultValue(parameter) : NO_DEFAULT);
    const { parametersTable } = this.partials;
    this.partials.parametersTable = model => parametersTable(model).split(`\`${NO_DEFAULT}\``).join('-');
    const { signatureReturns } = this.partials;
    this.partials.signatureReturns = (model, options) =>
      model.kindOf(ReflectionKind.ConstructorSignature) ? '' : signatureReturns(model, options);
  }
}

class ApiTheme extends MarkdownTheme {
  getRenderContext(page) {
    return new ApiContext(this, page, this.application.options);
  }
}

/**
 * Anchors named after what they point at, as on Construct Hub: `PrometheusProps`,
 * `PrometheusProps.replicas`, `Prometheus.constructor`, `DnsRecordType.SRV`. They stay
 * put when members are added elsewhere (typedoc numbers repeated names: `replicas-13`).
 */
class ApiRouter extends ModuleRouter {
  buildPages(project) {
    const pages = super.buildPages(project);
    const taken = new Map();
    const collisions = new Map();
    for (const [target, anchor] of this.anchors) {
      const page = this.fullUrls.get(target).split('#')[0];
      const id = qualifiedName(target);
      const key = `${page}#${id}`;
      // A signature shares its function's or constructor's anchor.
      if (!target.kindOf(ReflectionKind.SomeSignature)) collisions.set(key, [...(collisions.get(key) ?? []), target]);
      taken.set(target, { page, id, anchor });
    }
    for (const [target, { page, id }] of taken) {
      const same = collisions.get(`${page}#${id}`) ?? [];
      // Two exports of one name (a constant and its type): the kind tells them apart.
      const anchor = same.length > 1 ? `${id}-${ReflectionKind.singularString(target.kind).toLowerCase().replace(/\s/g, '-')}` : id;
      this.anchors.set(target, anchor);
      this.fullUrls.set(target, `${page}#${anchor}`);
    }
    return pages;
  }
}

/** `Owner.member` up from the module: signatures, type literals and modules add no part. */
function qualifiedName(reflection) {
  const parts = [];
  for (let r = reflection; r && !r.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project); r = r.parent) {
    if (r.kindOf(ReflectionKind.TypeLiteral | ReflectionKind.SomeSignature)) continue;
    parts.unshift(r.kindOf(ReflectionKind.Constructor) ? 'constructor' : r.name);
  }
  return parts.join('.');
}

/**
 * One file from the module pages: the pages' own anchors (`<a id>`) are kept, those
 * of later pages prefixed so they stay unique, and links between pages become links
 * within the file.
 */
function merge(pages) {
  const anchorOf = (page, fragment) => `#${fragment ? page.prefix + fragment : page.anchor}`;
  const body = pages.map(page => {
    const [title, ...rest] = page.text.split('\n');
    if (title !== `# ${page.typedocName}`) fail(`${page.page} starts with ${title}`);
    let text = rest.join('\n').replace(/<a id="([^"]+)"><\/a>/g, (_, id) => `<a id="${page.prefix}${id}"></a>`);
    text = `<a id="${page.anchor}"></a>\n\n# ${page.name}\n${text}`;
    text = text.replace(/\]\(([\w-]+\.md)?(?:#([^)\s]+))?\)/g, (link, file, fragment) => {
      if (!file && !fragment) return link;
      const target = file ? pages.find(p => p.page === file) : page;
      if (!target) fail(`link to an unknown page: ${link}`);
      return `](${anchorOf(target, fragment)})`;
    });
    return text.trim();
  });
  const header = [
    '# API Reference',
    '',
    '<!-- Generated by `npm run docs:api` (scripts/api-docs.mjs, typedoc.config.mjs) from the TSDoc of lib/. Do not edit by hand. -->',
    '',
    'Every export of the two entry points, with its TSDoc: for each prop its type, its default (`@default`) and what it does.',
    '',
    ...pages.map(p => `- [\`${p.name}\`](#${p.anchor})`),
  ].join('\n');
  // Signatures in code blocks break lines after a comma and a space: no trailing blanks.
  return `${[header, ...body].join('\n\n***\n\n').replace(/[ \t]+$/gm, '')}\n`;
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
