import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The version of the package `name` that `file` belongs to: the nearest package.json above it
 * that names the package (a nested `{"type":"commonjs"}` marker, as in dist/cjs/, is not it).
 */
export function packageVersionOf(file: string, name: string): string | undefined {
  name = packageNameOf(name);
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const pkgFile = path.join(d, 'package.json');
    if (existsSync(pkgFile)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name) return pkg.version;
      } catch {
        // unreadable: keep looking up
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** The package a module specifier names: `@langchain/core/tools` → `@langchain/core`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/**
 * Whether `version` is in one of `ranges`, each of comparators like `>=6.0.0 <8` (all must hold)
 * or `*`; alternatives with `||`. What the instrumentations declare; prerelease tags are ignored.
 */
export function satisfiesAny(version: string, ranges: readonly string[]): boolean {
  const v = parse(version);
  if (!v) return false;
  return ranges.some((range) =>
    range.split('||').some((alternative) =>
      alternative
        .trim()
        .split(/\s+/)
        .every((c) => satisfies(v, c)),
    ),
  );
}

function parse(version: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function satisfies(v: number[], comparator: string): boolean {
  if (comparator === '' || comparator === '*' || comparator === 'x') return true;
  const m = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
  const bound = m ? parse(m[2]) : undefined;
  if (!m || !bound) return false;
  const c = compare(v, bound);
  switch (m[1]) {
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    default:
      return c === 0;
  }
}
