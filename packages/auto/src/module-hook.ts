import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { type BurnrateInstrumentation, safely } from '@burnrate/core';

/** What the hook needs of an instrumentation (a lazy one loads its package when first used). */
export type PatchTarget = Pick<BurnrateInstrumentation, 'modules' | 'patchExports' | 'isEnabled'>;

import { packageVersionOf, satisfiesAny } from './versions.ts';

/**
 * Patches every copy of a client SDK that the process loads after Burnrate started, however it
 * arrives: imported or required, statically or with `import()`, by the app or by a framework
 * (LangChain, the OpenAI Agents SDK, ...), hoisted or nested in the framework's own node_modules
 * with another version.
 *
 * Node's synchronous module hooks (`module.registerHooks`, Node 22.15+) see every resolution and
 * load, ESM and CommonJS, in this thread. The resolve hook notes the file a bare specifier naming
 * a known SDK (`openai`, `@anthropic-ai/sdk`, ...) resolves to; the load hook appends one line to
 * that file's source, which hands the module's own exports to Burnrate when it has just been
 * evaluated, before any importer sees them. Nothing is loaded that the app does not load itself,
 * and every other module only costs a map lookup.
 *
 * What an ESM entry linked before `import '@burnrate/auto'` ran is patched by `patchLoadedModules`.
 */
const STATE = Symbol.for('burnrate.module-hook');
const PATCH = 'burnrate.patch-module';

type ModuleSource = string | ArrayBuffer | NodeJS.TypedArray;

interface HookState {
  /** SDK module name → the instrumentations that patch it. */
  byName: Map<string, PatchTarget[]>;
  /** Resolved file URL of an SDK entry → the SDK module name. */
  entries: Map<string, string>;
}

type GlobalWithHook = typeof globalThis & {
  [STATE]?: HookState;
  [key: symbol]: unknown;
};

/** Returns whether the hook is in place (Node without `module.registerHooks`: false). */
export function hookModuleLoading(instrumentations: readonly PatchTarget[]): boolean {
  const g = globalThis as GlobalWithHook;
  let state = g[STATE];
  if (!state) {
    const register = (module as { registerHooks?: typeof module.registerHooks }).registerHooks;
    if (typeof register !== 'function') return false;
    const created: HookState = { byName: new Map(), entries: new Map() };
    state = created;
    g[Symbol.for(PATCH)] = (name: string, exports: unknown) => patchCopy(created, name, exports);
    const hooked = safely('hooking module loading', () =>
      register({
        resolve(specifier, context, nextResolve) {
          const result = nextResolve(specifier, context);
          if (created.byName.has(specifier) && result.url.startsWith('file:')) {
            created.entries.set(result.url, specifier);
          }
          return result;
        },
        load(url, context, nextLoad) {
          const result = nextLoad(url, context);
          const name = created.entries.get(url);
          if (name === undefined || result.source == null) return result;
          // Fails open: the module loads unchanged if anything here goes wrong.
          // A CommonJS file in a package without a "type" (the AWS SDK) loads with no format.
          const format =
            result.format ?? (context.conditions?.includes('require') ? 'commonjs' : undefined);
          const source = safely(`hooking ${name}`, () =>
            supported(created, name, url)
              ? withPatchLine(name, url, format, result.source as ModuleSource)
              : undefined,
          );
          return source === undefined ? result : { ...result, source };
        },
      }),
    );
    if (!hooked) return false;
    g[STATE] = created;
  }
  for (const instrumentation of instrumentations) {
    for (const m of instrumentation.modules) {
      const list = state.byName.get(m.name) ?? [];
      if (!list.includes(instrumentation)) list.push(instrumentation);
      state.byName.set(m.name, list);
    }
  }
  return true;
}

/** Whether an instrumentation supports this copy's version (another major is left alone). */
function supported(state: HookState, name: string, url: string): boolean {
  const version = packageVersionOf(fileURLToPath(url), name);
  if (!version) return false;
  return (state.byName.get(name) ?? []).some((i) =>
    i.modules.some((m) => m.name === name && satisfiesAny(version, m.versions)),
  );
}

function patchCopy(state: HookState, name: string, exports: unknown): void {
  for (const instrumentation of state.byName.get(name) ?? []) {
    if (!instrumentation.isEnabled()) continue;
    safely(`patching ${name}`, () => instrumentation.patchExports(name, exports));
  }
}

/** The module's source with a last line that hands its exports to Burnrate (fails open). */
function withPatchLine(
  name: string,
  url: string,
  format: string | null | undefined,
  source: ModuleSource,
): string | undefined {
  const text =
    typeof source === 'string' ? source : Buffer.from(source as ArrayBuffer).toString('utf8');
  const call = (exportsExpr: string) =>
    `\n;try{globalThis[Symbol.for(${JSON.stringify(PATCH)})]?.(${JSON.stringify(name)},${exportsExpr})}catch{}\n`;
  // An ES module may import its own namespace: the line runs after the body has set every export.
  if (format === 'module') {
    return `${text}\nimport * as __burnrateSelf from ${JSON.stringify(url)};${call('__burnrateSelf')}`;
  }
  if (format === 'commonjs') return `${text}${call('module.exports')}`;
  return undefined;
}
