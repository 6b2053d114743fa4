import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, FormatDefinition, ValidateFunction } from 'ajv';

/**
 * Strict validation of synthesized objects against the Kubernetes 1.27 schema,
 * the way `kubeconform -strict` does it: every object schema with `properties`
 * rejects unknown fields. The validator is ajv; this file only prepares the
 * schema (strictness, formats) and maps objects to their definitions.
 */

/** The project's copy of cdk8s-team/cdk8s kubernetes-schemas/v1.27.0/_definitions.json. */
export const SCHEMA_FILE = path.join(__dirname, '..', 'schema', 'k8s-v1.27.0-definitions.json');
/** sha256 of the upstream file; the copy must be byte-identical. */
export const SCHEMA_SHA256 = '58a37fdf0c9d45b677663b57cad9d98b73d927af583a8ebee69613d09e1365d9';

const SCHEMA_ID = 'k8s-v1.27.0';
const DEFINITION_PREFIX = '#/definitions/';

/** A JSON schema node of the swagger-style definitions file. */
type SchemaNode = { [keyword: string]: unknown };

/** Group, version and kind as in `x-kubernetes-group-version-kind`. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The object an apiVersion/kind pair names, e.g. `apps/v1` → group `apps`, version `v1`. */
export function groupVersionKind(apiVersion: string, kind: string): GroupVersionKind {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

/** sha256 (hex) of a file's bytes. */
export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * A deep copy of `schema` in which every object schema that lists `properties`
 * and says nothing about `additionalProperties` gets `additionalProperties: false`.
 * Maps (schemas with `additionalProperties` already set, e.g. labels or
 * resource limits) keep accepting any key.
 */
export function strictify<T>(schema: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const src = node as SchemaNode;
    const out: SchemaNode = {};
    for (const [key, value] of Object.entries(src)) {
      if (key === 'properties' || key === 'definitions') {
        // A map of name → schema: walk the schemas, never treat the names as keywords.
        out[key] = Object.fromEntries(Object.entries(value as SchemaNode).map(([k, v]) => [k, walk(v)]));
      } else if (key === 'enum' || key === 'required' || key === 'example' || key.startsWith('x-kubernetes-')) {
        out[key] = value; // data, not schemas
      } else {
        out[key] = walk(value);
      }
    }
    if (src.properties && typeof src.properties === 'object' && !('additionalProperties' in src)) {
      out.additionalProperties = false;
    }
    return out;
  };
  return walk(schema) as T;
}

const INT32 = 2 ** 31;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/**
 * The grammar of resource.Quantity (k8s.io/apimachinery/pkg/api/resource), as
 * the apiserver's OpenAPI for CRDs spells it: `2Gi`, `500m`, `1.5`, `1e3`.
 */
export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** The `format`s the definitions file uses, each checked as the apiserver would parse it. */
const FORMATS: Record<string, FormatDefinition<string> | FormatDefinition<number>> = {
  'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32 },
  'int64': { type: 'number', validate: (n: number) => Number.isSafeInteger(n) },
  'double': { type: 'number', validate: (n: number) => Number.isFinite(n) },
  'byte': { type: 'string', validate: (s: string) => BASE64.test(s) },
  'date-time': { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) },
  // Not in the file: added below to the string branch of Quantity.
  'quantity': { type: 'string', validate: (s: string) => QUANTITY.test(s) },
};

/** Every `format` value used anywhere in a schema. */
export function formatsUsed(schema: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as SchemaNode)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else walk(value);
    }
  };
  walk(schema);
  return found;
}

/** A validation failure of one object, e.g. `Service/monitoring/prometheus: /spec must NOT have additional properties (clusterIp)`. */
export type Problem = string;

/** The fields of an object (or of nothing, when it is no object), for reading what it may hold. */
function fields(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function describe(obj: unknown): string {
  const meta = fields(fields(obj).metadata);
  return [fields(obj).kind ?? '<no kind>', meta.namespace, meta.name ?? '<no name>'].filter(x => x !== undefined).join('/');
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties': return `${where} has unknown field '${e.params.additionalProperty}'`;
    case 'required': return `${where} is missing required field '${e.params.missingProperty}'`;
    case 'enum': return `${where} ${e.message}: ${JSON.stringify(e.params.allowedValues)}`;
    default: return `${where} ${e.message}`;
  }
}

/**
 * The Kubernetes 1.27 schema made strict, with one compiled ajv validator per
 * definition, compiled on first use and kept.
 */
export class K8sSchema {
  private static shared?: K8sSchema;

  /** The schema of {@link SCHEMA_FILE}, loaded once per test file. */
  public static load(): K8sSchema {
    return (K8sSchema.shared ??= new K8sSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))));
  }

  private readonly ajv: Ajv;
  private readonly byGvk = new Map<string, string>();
  private readonly validators = new Map<string, ValidateFunction>();
  /** The names of all definitions. */
  public readonly definitionNames: string[];

  constructor(document: { definitions: Record<string, SchemaNode> }) {
    const strict = strictify(document);
    const quantity = strict.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'];
    // The file says `oneOf: [{type: string}, {type: number}]`: any string would pass.
    // The apiserver rejects strings that do not parse as a quantity, so check that too.
    if (!quantity || !Array.isArray(quantity.oneOf)) throw new Error('schema: unexpected shape of Quantity');
    quantity.oneOf = quantity.oneOf.map((s: SchemaNode) => (s.type === 'string' ? { ...s, format: 'quantity' } : s));

    for (const name of formatsUsed(strict)) {
      if (!FORMATS[name]) throw new Error(`schema uses format '${name}', which the validator does not know`);
    }
    this.ajv = new Ajv({
      // The swagger keywords (x-kubernetes-*) and `description` siblings of `$ref` are not JSON Schema.
      strict: false,
      allErrors: true,
      // Any warning (e.g. an unknown format) would weaken the check: make it loud.
      logger: { log: () => undefined, warn: (...m: unknown[]) => { throw new Error(`ajv: ${m.join(' ')}`); }, error: console.error },
    });
    for (const [name, format] of Object.entries(FORMATS)) this.ajv.addFormat(name, format);
    this.ajv.addSchema(strict, SCHEMA_ID);

    this.definitionNames = Object.keys(strict.definitions);
    for (const [name, def] of Object.entries(strict.definitions)) {
      for (const gvk of (def['x-kubernetes-group-version-kind'] ?? []) as GroupVersionKind[]) {
        const key = gvkKey(gvk);
        const taken = this.byGvk.get(key);
        if (taken && taken !== name) throw new Error(`schema: ${key} is both ${taken} and ${name}`);
        this.byGvk.set(key, name);
      }
    }
  }

  /** The definition of an API object, e.g. `io.k8s.api.apps.v1.StatefulSet`, or undefined. */
  public definitionFor(apiVersion: string, kind: string): string | undefined {
    return this.byGvk.get(gvkKey(groupVersionKind(apiVersion, kind)));
  }

  /** The compiled validator of a definition; the same function on every call. */
  public validator(definition: string): ValidateFunction {
    let validate = this.validators.get(definition);
    if (!validate) {
      validate = this.ajv.getSchema(`${SCHEMA_ID}${DEFINITION_PREFIX}${definition}`);
      if (!validate) throw new Error(`schema has no definition ${definition}`);
      this.validators.set(definition, validate);
    }
    return validate;
  }

  /** Problems of one object; empty when it is valid. */
  public validate(obj: unknown): Problem[] {
    const who = describe(obj);
    const { apiVersion, kind } = fields(obj);
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      return [`${who}: apiVersion and kind must be strings`];
    }
    const definition = this.definitionFor(apiVersion, kind);
    if (!definition) return [`${who}: no definition for apiVersion '${apiVersion}' kind '${kind}' in Kubernetes 1.27`];
    const validate = this.validator(definition);
    if (validate(obj)) return [];
    return (validate.errors ?? []).map(e => `${who}: ${formatError(e)}`);
  }

  /** Problems of all objects. */
  public validateAll(objs: readonly unknown[]): Problem[] {
    return objs.flatMap(o => this.validate(o));
  }
}
