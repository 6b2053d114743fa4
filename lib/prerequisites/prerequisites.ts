import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IComponent } from '../wiring/interfaces';
import { NetworkGraph, NetworkPeer } from '../wiring/network-graph';
import { DEFAULT_CLASS, NAMESPACED_KINDS, Prerequisite, PrerequisiteDeclaration, PrerequisiteKind, PrerequisiteNeed } from './prerequisite';
import { configMapData, referencesOf } from './references';

export { DEFAULT_CLASS, PrerequisiteKind } from './prerequisite';
export type { Prerequisite, PrerequisiteDeclaration, PrerequisiteNeed, PrerequisiteReason } from './prerequisite';

/** One need of one construct, before the needs of a chart are merged. @internal */
export interface PrerequisiteEntry {
  readonly kind: PrerequisiteKind;
  readonly name: string;
  readonly namespace?: string;
  readonly keys: string[];
  /** Construct path of what needs it. */
  readonly owner: string;
  readonly why: string;
  /**
   * Declared by a construct that knows what it is for (or derived from the
   * wiring), rather than only found as a reference in a synthesized object.
   */
  readonly declared: boolean;
}

/** Options of {@link Prerequisites.toMarkdown}. */
export interface PrerequisitesMarkdownOptions {
  /**
   * The heading of the document.
   * @default 'Prerequisites'
   */
  readonly title?: string;
}

const declarations = new WeakMap<IConstruct, PrerequisiteDeclaration[]>();
const KIND_ORDER: string[] = Object.values(PrerequisiteKind);
const DEFAULT_CLASS_ANNOTATIONS: Partial<Record<string, string>> = {
  [PrerequisiteKind.STORAGE_CLASS]: 'storageclass.kubernetes.io/is-default-class',
  [PrerequisiteKind.INGRESS_CLASS]: 'ingressclass.kubernetes.io/is-default-class',
};

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${NAMESPACED_KINDS.has(kind as PrerequisiteKind) ? namespace ?? '' : ''}|${name}`;
}

/**
 * What a chart needs in the cluster before `kubectl apply -f <chart>.k8s.yaml`
 * (or a GitOps sync) can succeed: every Secret its pods mount or read, the
 * ConfigMaps, ServiceAccounts and claims they name, the StorageClasses of its
 * claims, the IngressClass and the Ingress's TLS and auth Secrets, and the
 * namespaces its objects are created in or its NetworkPolicies' peers run
 * in; each with the keys read, what needs it and what for. Whatever the
 * chart creates itself is left out.
 *
 * The components of this library declare what they need where they know
 * what it is for (`Prerequisites.declare`); the synthesized objects are read
 * as well, so a reference nobody declared (a user's own pod, an escape hatch)
 * is listed too, with where it is made as its reason.
 */
export class Prerequisites {
  /**
   * Declares that `scope` needs objects in the cluster. A function is called
   * when a list is made, for what is only known once the construct is
   * complete. Constructs of your own can declare what they need the same way.
   */
  public static declare(scope: IConstruct, ...needs: PrerequisiteDeclaration[]): void {
    const list = declarations.get(scope);
    if (list) list.push(...needs);
    else declarations.set(scope, [...needs]);
  }

  /**
   * What `chart` needs and does not create, sorted: namespaces,
   * cluster-wide classes, then the namespaced objects by namespace and name.
   * Call it once the chart is complete (e.g. after `app.synth()`): it
   * renders the chart's objects.
   */
  public static of(chart: Chart): Prerequisite[] {
    return mergeEntries(prerequisiteEntries(chart));
  }

  /**
   * A markdown table: kind, name, namespace, keys, needed by, why. Of a
   * Chart, its {@link of} list, with construct paths below the Chart's;
   * of a list, with whole construct paths.
   */
  public static toMarkdown(target: Chart | Prerequisite[], options: PrerequisitesMarkdownOptions = {}): string {
    const chart = Array.isArray(target) ? undefined : target;
    const prerequisites = Array.isArray(target) ? target : Prerequisites.of(target);
    const lines = [`# ${options.title ?? 'Prerequisites'}`, ''];
    if (!prerequisites.length) return [...lines, 'Nothing: the chart creates everything it refers to.', ''].join('\n');
    const base = chart ? `${chart.node.path}/` : undefined;
    const path = (p: string) => (!base ? code(p) : p === chart?.node.path ? 'the Chart' : code(p.startsWith(base) ? p.slice(base.length) : p));
    lines.push(
      'Create these before applying the YAML: the chart refers to them and does not create them.'
        + (chart ? ` "Needed by" names constructs of the Chart \`${chart.node.path}\`.` : ''),
      '',
      '| kind | name | namespace | keys | needed by | why |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const p of prerequisites) {
      const keys = p.keys.length ? p.keys.map(code).join(', ')
        : p.kind === PrerequisiteKind.SECRET || p.kind === PrerequisiteKind.CONFIG_MAP ? 'every key' : '';
      const namespace = p.namespace !== undefined ? code(p.namespace) : NAMESPACED_KINDS.has(p.kind) ? 'where applied' : '';
      const why = p.reasons.map(r => cell(p.neededBy.length > 1 ? `${r.neededBy.map(path).join(', ')}: ${r.why}` : r.why));
      lines.push(`| ${[
        p.kind, p.name === DEFAULT_CLASS ? "the cluster's default" : code(p.name), namespace, keys, p.neededBy.map(path).join(', '), why.join('<br>'),
      ].join(' | ')} |`);
    }
    return [...lines, ''].join('\n');
  }

  /**
   * Writes `<chart>.prerequisites.md` for each chart of `app` into its
   * output directory, beside the `<chart>.k8s.yaml` that `app.synth()`
   * writes (call it after that).
   * @returns the paths written
   */
  public static writeMarkdown(app: App): string[] {
    return app.charts.map((chart, index) => {
      const label = Names.toDnsLabel(chart);
      // With dependent charts, cdk8s prefixes each file with its index.
      const indexed = `${String(index).padStart(4, '0')}-${label}`;
      const base = existsSync(join(app.outdir, `${indexed}${app.outputFileExtension}`)) ? indexed : label;
      const file = join(app.outdir, `${base}.prerequisites.md`);
      writeFileSync(file, Prerequisites.toMarkdown(chart, { title: `Before you apply ${base}${app.outputFileExtension}` }));
      return file;
    });
  }

  private constructor() {}
}

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Every need of `chart`'s constructs, unmerged: those declared, the
 * namespaces of cross-namespace peers in the wiring, and the references of
 * its synthesized objects; less what the chart creates.
 * @internal
 */
export function prerequisiteEntries(chart: Chart): PrerequisiteEntry[] {
  const constructs = chart.node.findAll().filter(c => Chart.of(c) === chart);
  const entries: PrerequisiteEntry[] = [];
  for (const scope of constructs) {
    for (const declaration of declarations.get(scope) ?? []) {
      for (const need of typeof declaration === 'function' ? declaration() : [declaration]) entries.push(declared(scope, need));
    }
  }
  entries.push(...peerNamespaces(chart));

  const created = new Set<string>();
  let inOwnNamespace = 0;
  const objects = constructs.filter(ApiObject.isApiObject).map(object => ({ object, json: object.toJson() }));
  const configMaps = configMapData(objects.map(o => o.json));
  for (const { object, json } of objects) {
    const { kind, metadata } = json;
    created.add(keyOf(kind, metadata?.namespace, metadata?.name));
    const defaultAnnotation = DEFAULT_CLASS_ANNOTATIONS[kind];
    if (defaultAnnotation && metadata?.annotations?.[defaultAnnotation] === 'true') created.add(keyOf(kind, undefined, DEFAULT_CLASS));
    const scope = object.node.scope;
    const owner = scope && scope !== chart ? scope.node.path : object.node.path;
    for (const ref of referencesOf(json, configMaps)) entries.push({ ...ref, owner, declared: false });
    const namespace: unknown = metadata?.namespace;
    if (typeof namespace !== 'string' || !namespace) continue;
    if (namespace === chart.namespace) inOwnNamespace++;
    else entries.push({ kind: PrerequisiteKind.NAMESPACE, name: namespace, keys: [], owner, why: `${kind} ${metadata.name} is created in it`, declared: false });
  }
  if (chart.namespace && inOwnNamespace) {
    entries.push({
      kind: PrerequisiteKind.NAMESPACE, name: chart.namespace, keys: [], owner: chart.node.path, declared: false,
      why: `the Chart's namespace: its ${inOwnNamespace} namespaced objects are created in it`,
    });
  }
  return entries.filter(e => !created.has(keyOf(e.kind, e.namespace, e.name)));
}

function declared(scope: IConstruct, need: PrerequisiteNeed): PrerequisiteEntry {
  const namespace = NAMESPACED_KINDS.has(need.kind) ? need.namespace ?? Chart.of(scope).namespace : undefined;
  return { kind: need.kind, name: need.name, namespace, keys: [...need.keys ?? []], owner: scope.node.path, why: need.why, declared: true };
}

/**
 * The namespaces the chart's components talk to across: a namespace peer
 * (the Ingress controller's, pushers'), or a component of another namespace.
 */
function peerNamespaces(chart: Chart): PrerequisiteEntry[] {
  const own = (peer: NetworkPeer): IComponent | undefined =>
    peer.kind === 'component' && peer.target && Chart.of(peer.target) === chart ? peer.target : undefined;
  const entries: PrerequisiteEntry[] = [];
  for (const { from, to } of NetworkGraph.of(chart).connections) {
    for (const [self, other, outgoing] of [[from, to, true], [to, from, false]] as const) {
      const component = own(self);
      if (!component) continue;
      let namespace: string | undefined;
      let why: string;
      if (other.kind === 'namespace') {
        namespace = other.namespaceName;
        why = outgoing ? 'NetworkPolicy peer: connects out to pods there' : 'NetworkPolicy peer: its pods may connect in';
      } else if (other.kind === 'component' && other.target && other.target.identity.namespace !== component.identity.namespace) {
        namespace = other.target.identity.namespace;
        const peer = other.target.node.path;
        why = outgoing ? `NetworkPolicy peer: connects out to ${peer}, which runs there` : `NetworkPolicy peer: ${peer}, which runs there, may connect in`;
      } else {
        continue;
      }
      if (!namespace) continue;
      entries.push({ kind: PrerequisiteKind.NAMESPACE, name: namespace, keys: [], owner: component.node.path, why, declared: true });
    }
  }
  return entries;
}

/**
 * One prerequisite per object: keys and owners merged, and for each owner
 * the reasons it declared, else those found in its objects.
 * @internal
 */
export function mergeEntries(entries: PrerequisiteEntry[]): Prerequisite[] {
  const groups = new Map<string, PrerequisiteEntry[]>();
  for (const e of entries) {
    const key = keyOf(e.kind, e.namespace, e.name);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const unique = <T>(values: T[]) => [...new Set(values)];
  const merged = [...groups.values()].map((group): Prerequisite => {
    const declarers = group.filter(e => e.declared).map(e => e.owner);
    const covered = (owner: string) => declarers.some(d => owner === d || owner.startsWith(`${d}/`));
    const kept = group.filter(e => e.declared || !covered(e.owner));
    const { kind, name, namespace } = group[0];
    const reasons = unique(kept.map(e => e.why)).map(why => ({ why, neededBy: unique(kept.filter(e => e.why === why).map(e => e.owner)).sort() }));
    return {
      kind, name, namespace,
      keys: unique(group.flatMap(e => e.keys)).sort(),
      neededBy: unique(kept.map(e => e.owner)).sort(),
      why: reasons.map(r => r.why),
      reasons,
    };
  });
  return merged.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
    || (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
}
