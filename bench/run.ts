/**
 * `npm run bench`: every benchmark, side by side with its peers in one run, reported as ratios.
 * Writes the tables to stdout and to bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOpenAI, benchProfile, benchStartup } from './openai.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const sections: string[] = [
  '# Burnrate benchmarks',
  '',
  `${new Date().toISOString()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
  '',
];
const want = (name: string) => only.length === 0 || only.includes(name);

if (want('openai')) sections.push(benchOpenAI());
if (want('profile')) sections.push(benchProfile());
if (want('startup')) sections.push(benchStartup());

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
  } catch (error) {
    sections.push(`(failed: ${(error as Error).message.split('\n')[0]})`, '');
  }
}

const text = sections.join('\n');
console.log(text);
if (only.length === 0) writeFileSync(path.join(root, 'bench', 'RESULTS.md'), `${text}\n`);
