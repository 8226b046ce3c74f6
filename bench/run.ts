/**
 * `npm run bench`: every benchmark, side by side with its peers in one run, reported as ratios.
 * Writes the tables to stdout and to bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCollector } from './collector.ts';
import { benchEvaluatorScale } from './evaluator-scale.ts';
import { benchInstructions, OPENAI_INSTRUCTIONS_HEADING } from './instructions.ts';
import { benchMemory } from './memory.ts';
import { benchOpenAI, benchProfile } from './openai.ts';
import { keepSections, spliceSection } from './results-file.ts';
import { benchStartup } from './startup.ts';
import { budgetSummary } from './summary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const sections: string[] = [
  '# Burnrate benchmarks',
  '',
  `${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
  '',
];
const want = (name: string) => only.length === 0 || only.includes(name);
// Long benches run only when named (`npm run bench collector`); a full run keeps their last
// sections in bench/RESULTS.md, and a named run replaces just its own.
const OPT_IN: Record<string, { run: () => Promise<string>; heading: string }> = {
  collector: { run: benchCollector, heading: '## Collector' },
  'evaluator-scale': { run: benchEvaluatorScale, heading: '## Budget evaluator at scale' },
  // About 20 minutes of valgrind (bench/instructions.ts).
  instructions: { run: benchInstructions, heading: OPENAI_INSTRUCTIONS_HEADING },
};
const resultsFile = path.join(root, 'bench', 'RESULTS.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';

if (want('openai')) sections.push(benchOpenAI());
if (want('profile')) sections.push(benchProfile());
if (want('startup')) sections.push(benchStartup());
if (want('memory')) sections.push(benchMemory());

const packageSections: [string, string][] = [];
for (const dir of readdirSync(path.join(root, 'packages'))) {
  const script = path.join(root, 'packages', dir, 'bench', 'run.ts');
  if (!existsSync(script) || !want(dir)) continue;
  sections.push(`## ${dir}`, '');
  try {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', '--conditions=@burnrate/source', script],
      {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 20 * 60_000,
      },
    );
    sections.push(out.trim(), '');
    packageSections.push([dir, out]);
  } catch (error) {
    sections.push(`(failed: ${(error as Error).message.split('\n')[0]})`, '');
  }
}

if (packageSections.length > 0 && want('openai')) sections.push(budgetSummary(packageSections));

let text = sections.join('\n');
if (only.length === 0) {
  const kept = keepSections(
    previous,
    Object.values(OPT_IN).map((o) => o.heading),
  );
  writeFileSync(resultsFile, `${text}\n${kept}`);
}
let updated = previous;
for (const [name, bench] of Object.entries(OPT_IN)) {
  if (!only.includes(name)) continue;
  const section = await bench.run();
  text += `\n${section}`;
  updated = spliceSection(updated, section);
}
if (updated !== previous) writeFileSync(resultsFile, updated);
console.log(text);
