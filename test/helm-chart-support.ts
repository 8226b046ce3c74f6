// Helpers of test/helm-chart.test.ts: the chart tools, rendering a value set, reading the
// rendered objects, and the Collector's own config merge (to see which extensions start).
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { chartDir } from '../scripts/sync-chart-files.ts';
import { run } from './harness/run.ts';
import { repoRoot } from './harness/tools.ts';

export type Obj = Record<string, unknown>;
export interface K8s {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Obj };
  spec?: Obj;
  data?: Record<string, string>;
}
export interface Container {
  name: string;
  args?: string[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  securityContext?: Obj;
  resources?: { requests?: Obj; limits?: Obj };
}
export interface PodSpec {
  containers: Container[];
  securityContext?: Obj;
  automountServiceAccountToken?: boolean;
}

export const toolDir = join(repoRoot, '.tools/helm-tools');

/** helm or kubeconform from scripts/setup/helm-tools.sh; a clear error when missing. */
export function helmTool(name: 'helm' | 'kubeconform'): string {
  const bin = join(toolDir, 'bin', name);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new Error(`${bin} not found; run \`npm run setup:tools\` (scripts/setup/helm-tools.sh)`);
  }
  return bin;
}

/** The Kubernetes version of the schemas scripts/setup/helm-tools.sh made. */
export const k8sVersion = /^KUBERNETES_VERSION=v(\S+)/m.exec(
  readFileSync(join(repoRoot, 'scripts/setup/helm-tools.sh'), 'utf8'),
)![1];

export const NAMESPACE = 'burnrate';

/** The documented value sets, deploy/helm/burnrate/ci/*.yaml. */
export const valueSets = readdirSync(join(chartDir, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The switches of a value set that decide what is rendered. */
export interface ValueSet {
  gateway?: {
    auth?: { enabled?: boolean };
    remoteWrite?: { enabled?: boolean };
    persistence?: { enabled?: boolean };
  };
  metrics?: { serviceMonitor?: { enabled?: boolean }; prometheusRule?: { enabled?: boolean } };
  evaluator: { alertmanagerUrls: string[] };
}
export const readValues = (set: string): ValueSet =>
  parse(readFileSync(join(chartDir, 'ci', set), 'utf8')) as ValueSet;

export const helmTemplate = (args: string[]) =>
  run(helmTool('helm'), ['template', 'burnrate', chartDir, '--namespace', NAMESPACE, ...args]);

/** `helm template -f ci/<set>`: the manifest text and its objects. */
export async function render(set: string): Promise<{ text: string; objects: K8s[] }> {
  const out = await helmTemplate(['-f', join(chartDir, 'ci', set)]);
  if (out.code !== 0) throw new Error(`helm template -f ci/${set} failed: ${out.stderr}`);
  const objects = parseAllDocuments(out.stdout)
    .map((d) => d.toJS() as K8s | null)
    .filter((o): o is K8s => o !== null);
  return { text: out.stdout, objects };
}

export const find = (objs: K8s[], kind: string, name: string): K8s => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} rendered`);
  return o;
};
/** The Deployment, StatefulSet or DaemonSet of that name. */
export const workload = (objs: K8s[], name: string): K8s => {
  const o = objs.find((x) => x.metadata.name === name && x.spec?.template);
  if (!o) throw new Error(`no workload ${name} rendered`);
  return o;
};
export const podSpec = (o: K8s): PodSpec =>
  (o.spec as { template: { spec: PodSpec } }).template.spec;
/** A container's environment; a field reference reads as `fieldRef:<path>`. */
export const envOf = (c: Container): Map<string, string> =>
  new Map(
    (c.env ?? []).map((e) => [e.name, e.value ?? `fieldRef:${e.valueFrom?.fieldRef?.fieldPath}`]),
  );
export const source = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

const isMap = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const merge = (a: unknown, b: unknown): unknown =>
  isMap(a) && isMap(b)
    ? Object.fromEntries(
        [...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [
          k,
          k in b ? merge(a[k], b[k]) : a[k],
        ]),
      )
    : b;

/**
 * The Collector's file merge (maps merged, anything else replaced), ${env:X:-default} expansion
 * of whole scalars and --set=service::extensions: the extensions that start, and the ones the
 * components of the pipelines use (authenticators, queue storage).
 */
export function extensionsOf(
  args: string[],
  env: Record<string, string>,
): { started: string[]; needed: string[]; storageDirs: string[] } {
  const expand = (v: unknown): unknown => {
    const m = typeof v === 'string' ? /^\$\{env:(\w+)(?::-(.*))?\}$/.exec(v) : null;
    return m ? parse(env[m[1]] ?? m[2] ?? '') : v;
  };
  let cfg: unknown = {};
  for (const a of args.filter((x) => x.startsWith('--config='))) {
    cfg = merge(cfg, parse(readFileSync(a.slice('--config='.length), 'utf8')));
  }
  const config = cfg as Record<string, Record<string, Obj>> & {
    service: { extensions: unknown; pipelines: Record<string, Obj> };
  };
  const set = args.find((a) => a.startsWith('--set=service::extensions='));
  const started = (set ? parse(set.split('=')[2]) : expand(config.service.extensions)) as string[];
  const needed = new Set<string>();
  const walk = (v: unknown): void => {
    if (!isMap(v)) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'authenticator' || k === 'storage') needed.add(String(expand(x)));
      else walk(x);
    }
  };
  for (const p of Object.values(config.service.pipelines)) {
    for (const kind of ['receivers', 'exporters'] as const) {
      for (const name of (expand(p[kind]) as string[] | undefined) ?? [])
        walk(config[kind]?.[name]);
    }
  }
  // Directories the started file_storage extensions create and write.
  const storageDirs = started
    .filter((e) => e.startsWith('file_storage'))
    .map((e) => String(expand(config.extensions?.[e]?.directory)));
  return { started, needed: [...needed], storageDirs };
}
