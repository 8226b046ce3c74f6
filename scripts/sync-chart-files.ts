// Copies the files the Helm chart embeds into deploy/helm/burnrate/files/ (a chart can only read
// files inside its own folder): the Collector configs, the Prometheus rules and the Grafana
// dashboards. Run it after changing any of them; test/helm-chart.test.ts fails while a copy
// differs from its source.
//   node scripts/sync-chart-files.ts           copy (and delete copies whose source is gone)
//   node scripts/sync-chart-files.ts --check   exit 1, naming each stale copy, if not in sync
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const chartDir = join(repoRoot, 'deploy/helm/burnrate');
const filesDir = join(chartDir, 'files');

/** A source file of the repository and where the chart keeps its copy (both repo-relative). */
export interface ChartCopy {
  source: string;
  copy: string;
}

/** The Collector configs the chart runs, by name; a missing one is skipped (not embedded). */
const COLLECTOR_CONFIGS = [
  'otelcol.yaml',
  'agent.yaml',
  'gateway.yaml',
  'gateway-auth.yaml',
  'agent-auth.yaml',
  'remote-write.yaml',
];

const listDir = (dir: string, suffix: string, except: string[] = []): string[] =>
  existsSync(join(repoRoot, dir))
    ? readdirSync(join(repoRoot, dir))
        .filter((f) => f.endsWith(suffix) && !except.includes(f))
        .sort()
    : [];

/** Every copy the chart should hold, for the sources that exist now. */
export function chartCopies(): ChartCopy[] {
  const chartFiles = relative(repoRoot, filesDir);
  const copies: ChartCopy[] = [];
  for (const f of COLLECTOR_CONFIGS) {
    if (existsSync(join(repoRoot, 'collector', f))) {
      copies.push({ source: `collector/${f}`, copy: `${chartFiles}/collector/${f}` });
    }
  }
  for (const f of listDir('deploy/prometheus/rules', '.yml')) {
    copies.push({
      source: `deploy/prometheus/rules/${f}`,
      copy: `${chartFiles}/prometheus-rules/${f}`,
    });
  }
  for (const f of listDir('dashboards', '.json', ['package.json'])) {
    copies.push({ source: `dashboards/${f}`, copy: `${chartFiles}/dashboards/${f}` });
  }
  return copies;
}

/** Files under files/ that no source maps to any more (repo-relative). */
function strayCopies(copies: ChartCopy[]): string[] {
  const wanted = new Set(copies.map((c) => c.copy));
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!wanted.has(relative(repoRoot, path))) found.push(relative(repoRoot, path));
    }
  };
  walk(filesDir);
  return found.sort();
}

/** What is out of sync: one line per stale, missing or stray copy (empty = in sync). */
export function chartCopyProblems(): string[] {
  const copies = chartCopies();
  const problems: string[] = [];
  for (const { source, copy } of copies) {
    const copyPath = join(repoRoot, copy);
    if (!existsSync(copyPath)) problems.push(`${copy}: missing (a copy of ${source})`);
    else if (!readFileSync(copyPath).equals(readFileSync(join(repoRoot, source)))) {
      problems.push(`${copy}: differs from ${source}`);
    }
  }
  for (const stray of strayCopies(copies)) problems.push(`${stray}: its source is gone`);
  return problems;
}

function main(args: string[]): void {
  if (args.includes('--check')) {
    const problems = chartCopyProblems();
    for (const p of problems) console.error(p);
    if (problems.length > 0) {
      console.error('run `node scripts/sync-chart-files.ts` to update the chart copies');
      process.exit(1);
    }
    return;
  }
  const copies = chartCopies();
  for (const { source, copy } of copies) {
    mkdirSync(dirname(join(repoRoot, copy)), { recursive: true });
    copyFileSync(join(repoRoot, source), join(repoRoot, copy));
  }
  for (const stray of strayCopies(copies)) rmSync(join(repoRoot, stray));
  console.error(`sync-chart-files: ${copies.length} files in ${relative(repoRoot, filesDir)}/`);
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
