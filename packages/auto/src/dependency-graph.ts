import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The fields of a package.json the eager patch reads. */
export interface PackageJson {
  name?: string;
  type?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The app: the nearest package.json that declares dependencies, and what it declares. */
export function appDependencies(dir: string): { dir: string; names: string[] } | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const file = path.join(d, 'package.json');
    const pkg = existsSync(file) ? readPackageJson(file) : undefined;
    if (pkg) {
      const lists = [
        pkg.dependencies,
        pkg.devDependencies,
        pkg.optionalDependencies,
        pkg.peerDependencies,
      ];
      if (lists.some((l) => l !== undefined)) {
        return { dir: d, names: lists.flatMap((l) => Object.keys(l ?? {})) };
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** Most packages read while looking for SDKs, so a huge dependency tree cannot slow start-up. */
const MAX_PACKAGES = 3000;

/**
 * Where the app's dependency tree uses each of `sdks`: for every SDK reachable from the app's
 * declared dependencies (directly, or through the `dependencies` of a framework such as
 * `@langchain/openai` or `@openai/agents`, at any depth), the directories of the packages that
 * depend on it, from which
 * Node resolves the copy they import (hoisted, or nested in their own node_modules). Reads
 * package.json files only: no module is loaded.
 */
export function sdkDependents(
  app: { dir: string; names: string[] },
  sdks: ReadonlySet<string>,
): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const visited = new Set<string>();
  const queue: { from: string; names: string[] }[] = [{ from: app.dir, names: app.names }];
  while (queue.length > 0 && visited.size < MAX_PACKAGES) {
    const { from, names } = queue.shift() as { from: string; names: string[] };
    for (const name of names) {
      if (sdks.has(name)) {
        const dirs = found.get(name) ?? new Set<string>();
        dirs.add(from);
        found.set(name, dirs);
        continue;
      }
      const dir = packageDir(from, name);
      if (!dir || visited.has(dir)) continue;
      visited.add(dir);
      const pkg = readPackageJson(path.join(dir, 'package.json'));
      if (!pkg) continue;
      // Only hard dependencies: a package's optional and peer dependencies (langsmith's `openai`,
      // for its wrappers) are mostly loaded lazily, if ever, and the app declares what it uses.
      queue.push({ from: dir, names: Object.keys(pkg.dependencies ?? {}) });
    }
  }
  return found;
}

/** The directory (real path) of package `name` as Node resolves it from `from`. */
function packageDir(from: string, name: string): string | undefined {
  for (let d = from; ; d = path.dirname(d)) {
    if (path.basename(d) !== 'node_modules') {
      const candidate = path.join(d, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) {
        try {
          return realpathSync(candidate);
        } catch {
          return undefined;
        }
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}
