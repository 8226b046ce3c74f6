// Builds every publishable workspace package (src -> dist, JavaScript + declarations) in
// dependency order. Tests and local runs never need this (they run the TypeScript sources through
// the `@burnrate/source` export condition); `npm pack` and a user's install do.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
const pkgs = new Map();
for (const dir of readdirSync(path.join(root, 'packages'))) {
  const file = path.join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private || !existsSync(path.join(root, 'packages', dir, 'src', 'index.ts'))) continue;
  pkgs.set(pkg.name, { dir: path.join(root, 'packages', dir), pkg });
}
const order = [];
const seen = new Set();
const visit = (name) => {
  if (seen.has(name) || !pkgs.has(name)) return;
  seen.add(name);
  const { pkg } = pkgs.get(name);
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })) visit(dep);
  order.push(name);
};
for (const name of pkgs.keys()) visit(name);

// `build.mjs [names…]` builds those; `--with-deps` adds what they depend on.
const args = process.argv.slice(2);
const withDeps = args.includes('--with-deps');
const only = new Set(args.filter((a) => !a.startsWith('--')));
if (withDeps) {
  const add = (name) => {
    const entry = pkgs.get(name);
    if (!entry) return;
    only.add(name);
    for (const dep of Object.keys({ ...entry.pkg.dependencies, ...entry.pkg.peerDependencies }))
      add(dep);
  };
  for (const name of [...only]) add(name);
}
for (const name of order) {
  if (only.size && !only.has(name)) continue;
  const { dir } = pkgs.get(name);
  const config = path.join(dir, 'tsconfig.build.tmp.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.relative(dir, path.join(root, 'tsconfig.build.json')),
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/test-*.ts', 'src/test-support/**', 'src/**/fixtures*.ts'],
    }),
  );
  try {
    rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
    execFileSync(tsc, ['-p', config], { stdio: 'inherit', cwd: dir });
    console.log(`built ${name}`);
  } finally {
    rmSync(config, { force: true });
  }
}
