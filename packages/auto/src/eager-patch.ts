import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type BurnrateInstrumentation, safely } from '@burnrate/core';

/**
 * ESM links every static import of an entry file before any of them runs, so when
 * `import '@burnrate/auto'` runs, the app's `import OpenAI from 'openai'` is already linked and no
 * loader hook can rewrite it. But the SDK's classes are shared by every importer of the same copy:
 * Burnrate loads that same ESM copy synchronously (require() of an ES module returns the instance
 * the app's import will use) and patches the classes' prototypes before the app's code runs.
 * CommonJS copies are patched when required, by the instrumentations' require hooks.
 */
export function patchLoadedModules(instrumentations: readonly BurnrateInstrumentation[]): void {
  const entry = process.argv[1] ? path.resolve(process.argv[1]) : undefined;
  if (entry && isCommonJsEntry(entry)) return;
  const base = entry ?? path.join(process.cwd(), 'index.js');
  const requireFromApp = createRequire(base);
  // Load only the client libraries the app declares: loading every installed SDK would cost the
  // service start-up time for libraries it never imports.
  const declared = declaredDependencies(path.dirname(base));
  for (const instrumentation of instrumentations) {
    for (const m of instrumentation.modules) {
      if (declared && !declared.has(m.name)) continue;
      safely(`patching ${m.name}`, () => {
        const esmEntry = esmEntryOf(requireFromApp, m.name);
        if (!esmEntry) return;
        instrumentation.patchExports(m.name, requireFromApp(esmEntry));
      });
    }
  }
}

function isCommonJsEntry(file: string): boolean {
  if (file.endsWith('.cjs') || file.endsWith('.cts')) return true;
  if (file.endsWith('.mjs') || file.endsWith('.mts')) return false;
  const pkg = nearestPackageJson(path.dirname(file));
  return pkg?.type !== 'module';
}

interface PackageJson {
  type?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * What the app's package.json (the nearest one that declares dependencies) lists, or undefined
 * when there is none (then every installed library Burnrate knows is patched).
 */
function declaredDependencies(dir: string): Set<string> | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      const lists = [
        pkg.dependencies,
        pkg.devDependencies,
        pkg.optionalDependencies,
        pkg.peerDependencies,
      ];
      if (lists.some((l) => l !== undefined)) {
        return new Set(lists.flatMap((l) => Object.keys(l ?? {})));
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

function nearestPackageJson(dir: string): PackageJson | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
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
      const candidate = JSON.parse(readFileSync(file, 'utf8')) as PackageJson & { name?: string };
      if (candidate.name === name) {
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
  const target = importTarget(pkg.exports);
  return target ? path.join(root, target) : cjsEntry;
}

/** Resolves the `import` / `default` condition of the `.` export (one level of nesting deep). */
function importTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  const dot = '.' in map ? map['.'] : map;
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
