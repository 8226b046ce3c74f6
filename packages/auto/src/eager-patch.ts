import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { safely } from '@burnrate/core';
import {
  appDependencies,
  type PackageJson,
  readPackageJson,
  sdkDependents,
} from './dependency-graph.ts';
import { hookModuleLoading, type PatchTarget } from './module-hook.ts';
import { packageNameOf, packageVersionOf, satisfiesAny } from './versions.ts';

/**
 * ESM links every static import of an entry file before any of them runs, so when
 * `import '@burnrate/auto'` runs, the app's `import OpenAI from 'openai'` (or a framework's, such
 * as `@langchain/openai`'s) is already linked and no loader hook can rewrite it. But the SDK's
 * classes are shared by every importer of the same copy: Burnrate loads that same ESM copy
 * synchronously (require() of an ES module returns the instance the importers will use) and
 * patches the classes' prototypes before the app's code runs.
 *
 * Which copies: every known SDK reachable from the app's declared dependencies, directly or
 * through the frameworks it declares, each copy resolved from the package that depends on it (a
 * framework's nested copy too) and from the app (its own import of a hoisted copy). SDKs outside
 * the app's dependency tree are never loaded. Everything loaded later (require, `import()`, a
 * CommonJS entry) is patched when first evaluated, by the module hook installed here. Returns
 * whether that hook is in place.
 */
export function patchLoadedModules(instrumentations: readonly PatchTarget[]): boolean {
  const hooked = hookModuleLoading(instrumentations);
  // Preloaded (`node --import @burnrate/auto app.js`): the entry is not linked yet, so the hook
  // sees every SDK it loads and nothing needs loading now.
  if (hooked && preloaded()) return hooked;
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : undefined;
  if (entry && isCommonJsEntry(entry)) return hooked;
  const base = entry ?? path.join(process.cwd(), 'index.js');
  const app = appDependencies(path.dirname(base));
  const byName = new Map<string, PatchTarget[]>();
  for (const instrumentation of instrumentations) {
    for (const m of instrumentation.modules) {
      byName.set(m.name, [...(byName.get(m.name) ?? []), instrumentation]);
    }
  }
  // Without a package.json that declares dependencies, every installed library Burnrate knows
  // is patched, as the app itself resolves it.
  // A module may be a package's subpath (`@langchain/core/tools`): the tree is read by package.
  const packages = new Set([...byName.keys()].map(packageNameOf));
  const byPackage = app
    ? safely('reading the dependency tree', () => sdkDependents(app, packages))
    : new Map([...packages].map((name) => [name, new Set<string>()]));
  const dependents = [...(byPackage ?? [])].flatMap(([pkg, dirs]) =>
    [...byName.keys()]
      .filter((name) => packageNameOf(name) === pkg)
      .map((name) => [name, dirs] as const),
  );
  const patched = new Set<string>();
  for (const [name, dirs] of dependents) {
    // The app's own `import` of the SDK resolves from the entry, whether or not it declares it.
    const requirers = [createRequire(base)];
    for (const dir of dirs) requirers.push(createRequire(path.join(dir, 'package.json')));
    for (const requireFrom of requirers) {
      safely(`patching ${name}`, () => {
        const esmEntry = esmEntryOf(requireFrom, name);
        if (!esmEntry || patched.has(esmEntry)) return;
        patched.add(esmEntry);
        // A copy of a version no instrumentation supports (a framework's old nested copy) is
        // neither loaded nor patched.
        const version = packageVersionOf(esmEntry, name);
        const supporting = (byName.get(name) ?? []).filter((i) =>
          i.modules.some((m) => m.name === name && satisfiesAny(version ?? '', m.versions)),
        );
        if (supporting.length === 0) return;
        const exports = requireFrom(esmEntry);
        for (const i of supporting) i.patchExports(name, exports);
      });
    }
  }
  return hooked;
}

function preloaded(): boolean {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const flags = ['--import', '--require', '-r'];
  return args.some((arg, i) => {
    if (/^--(import|require)=.*@burnrate\/auto/.test(arg)) return true;
    return flags.includes(arg) && (args[i + 1] ?? '').includes('@burnrate/auto');
  });
}

function isCommonJsEntry(file: string): boolean {
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return true;
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return false;
  const pkg = nearestPackageJson(path.dirname(file));
  return pkg?.type !== 'module';
}

function nearestPackageJson(dir: string): PackageJson | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (existsSync(file)) return readPackageJson(file);
    if (path.dirname(d) === d) return undefined;
  }
}

/** The file an `import` of the package's main entry loads, or undefined when not installed. */
function esmEntryOf(requireFromApp: NodeJS.Require, name: string): string | undefined {
  let cjsEntry: string;
  try {
    cjsEntry = requireFromApp.resolve(name);
  } catch {
    return undefined;
  }
  // Walk up from the CJS entry to the package root: the package.json that names the package
  // (a nested `{"type":"commonjs"}` marker file, as in dist/cjs/, is not the root).
  let root = path.dirname(cjsEntry);
  let pkg: PackageJson | undefined;
  for (;;) {
    const file = path.join(root, 'package.json');
    if (existsSync(file)) {
      const candidate = readPackageJson(file);
      if (candidate?.name === packageNameOf(name)) {
        pkg = candidate;
        break;
      }
    }
    if (path.dirname(root) === root) return undefined;
    root = path.dirname(root);
  }
  // Without `exports`, Node's `import` loads `main` through the CommonJS loader: the very copy
  // `require()` gives (a `module` field is for bundlers only).
  if (pkg.exports === undefined) return cjsEntry;
  const target = importTarget(pkg.exports, `.${name.slice(packageNameOf(name).length)}`);
  return target ? path.join(root, target) : cjsEntry;
}

/**
 * Resolves the `import` / `default` condition of the `.` export, or of a subpath's (one level of
 * nesting deep).
 */
function importTarget(exports: unknown, subpath = '.'): string | undefined {
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  const dot = subpath in map ? map[subpath] : subpath === '.' ? map : undefined;
  if (typeof dot === 'string') return dot;
  if (typeof dot !== 'object' || dot === null) return undefined;
  const conditions = dot as Record<string, unknown>;
  for (const key of ['node', 'import', 'default']) {
    const v = conditions[key];
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && v !== null) {
      const nested = importTarget({ '.': v });
      if (nested) return nested;
    }
  }
  return undefined;
}
