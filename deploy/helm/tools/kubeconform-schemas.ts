// Writes kubeconform's per-kind JSON schemas ("<kind>-<group>-<version>.json", the layout of
// `-schema-location '<dir>/{{ .ResourceKind }}{{ .KindSuffix }}.json'`) from
//   - the Kubernetes OpenAPI v3 documents (api/openapi-spec/v3/*.json of the k8s.io/kubernetes
//     Go module), and
//   - CustomResourceDefinition YAML files (the prometheus-operator Go module's
//     example/prometheus-operator-crd/*.yaml: openAPIV3Schema of every served version).
// Strict like kubeconform's "-standalone-strict" schemas: an object that lists its properties
// accepts no other field (unless it says x-kubernetes-preserve-unknown-fields), so a typo in a
// rendered manifest fails. Run by scripts/setup/helm-tools.sh:
//   node deploy/helm/tools/kubeconform-schemas.ts <out-dir> <openapi-v3-dir> <crd.yaml>...
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const REF_PREFIX = '#/components/schemas/';

/** kubeconform's file name for a kind: lower-case kind, first label of the group, version. */
export function schemaFileName(kind: string, group: string, version: string): string {
  const groupPart = group ? `-${group.split('.')[0].toLowerCase()}` : '';
  return `${kind.toLowerCase()}${groupPart}-${version.toLowerCase()}.json`;
}

/** One schema node made JSON-Schema (draft 4) and strict; refs go to `definitions`. */
function convert(node: Json, refs: Set<string>): Json {
  if (Array.isArray(node)) return node.map((n) => convert(n, refs));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format' || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
      const name = value.slice(REF_PREFIX.length);
      refs.add(name);
      out.$ref = `#/definitions/${name}`;
      continue;
    }
    // Maps of schemas: convert each member; other keywords hold one schema or a list of them.
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(
        Object.entries(isObject(value) ? value : {}).map(([k, v]) => [k, convert(v, refs)]),
      );
      continue;
    }
    if (key === 'enum' || key === 'default' || key === 'example' || key === 'required') {
      out[key] = value;
      continue;
    }
    out[key] = convert(value, refs);
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const open = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out.properties) && out.additionalProperties === undefined && !open) {
    out.additionalProperties = false;
  }
  return out;
}

/** A standalone schema: the root plus every component it reaches, under `definitions`. */
function standalone(root: JsonObject, components: JsonObject): JsonObject {
  const refs = new Set<string>();
  const schema = convert(root, refs) as JsonObject;
  const definitions: JsonObject = {};
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in definitions) continue;
    const component = components[name];
    if (component === undefined) throw new Error(`unresolved $ref ${REF_PREFIX}${name}`);
    const more = new Set<string>();
    definitions[name] = convert(component, more);
    for (const m of more) if (!(m in definitions)) pending.push(m);
  }
  if (Object.keys(definitions).length > 0) schema.definitions = definitions;
  return { $schema: 'http://json-schema.org/draft-04/schema#', ...schema };
}

function kubernetes(openapiDir: string, write: (file: string, schema: JsonObject) => void): void {
  for (const file of readdirSync(openapiDir).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(openapiDir, file), 'utf8')) as JsonObject;
    const components = isObject(doc.components) ? doc.components.schemas : undefined;
    if (!isObject(components)) continue;
    for (const root of Object.values(components)) {
      if (!isObject(root)) continue;
      const gvks = root['x-kubernetes-group-version-kind'];
      // Kinds a manifest can hold (they have metadata); not DeleteOptions, WatchEvent, ...
      if (!Array.isArray(gvks) || !isObject(root.properties) || !('metadata' in root.properties)) {
        continue;
      }
      for (const gvk of gvks) {
        if (!isObject(gvk)) continue;
        const { group, kind, version } = gvk as Record<string, string>;
        write(schemaFileName(kind, group, version), standalone(root, components));
      }
    }
  }
}

function customResources(crdFile: string, write: (file: string, schema: JsonObject) => void): void {
  for (const doc of parseAllDocuments(readFileSync(crdFile, 'utf8'))) {
    const crd = doc.toJS() as Json;
    if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition' || !isObject(crd.spec)) continue;
    const { group, names, versions } = crd.spec;
    if (typeof group !== 'string' || !isObject(names) || !Array.isArray(versions)) continue;
    for (const v of versions) {
      if (!isObject(v) || !isObject(v.schema) || !isObject(v.schema.openAPIV3Schema)) continue;
      if (v.served === false) continue;
      write(
        schemaFileName(String(names.kind), group, String(v.name)),
        standalone(v.schema.openAPIV3Schema, {}),
      );
    }
  }
}

function main(argv: string[]): void {
  const [outDir, openapiDir, ...crdFiles] = argv;
  if (!outDir || !openapiDir) {
    throw new Error('usage: kubeconform-schemas.ts <out-dir> <openapi-v3-dir> <crd.yaml>...');
  }
  mkdirSync(outDir, { recursive: true });
  let count = 0;
  const write = (file: string, schema: JsonObject): void => {
    writeFileSync(join(outDir, file), JSON.stringify(schema));
    count++;
  };
  kubernetes(openapiDir, write);
  for (const f of crdFiles) customResources(f, write);
  if (count === 0) throw new Error(`no schemas found in ${openapiDir} or the CRD files`);
  console.error(`kubeconform-schemas: wrote ${count} schemas to ${outDir}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
