import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBurnrate } from './build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Start-up cost of the one import, as a user gets it: the built package (dist, JavaScript), with
 * `node --import @burnrate/auto` against plain node, both importing openai.
 */
interface StartupVariant {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** The uninstrumented process it is compared with. */
  base: string;
}

const STARTUP_VARIANTS: StartupVariant[] = [
  { name: 'node + openai (ESM app)', args: ['app.mjs'], base: 'node + openai (ESM app)' },
  { name: 'node + openai (CommonJS app)', args: ['app.cjs'], base: 'node + openai (CommonJS app)' },
  {
    name: 'Burnrate: --import @burnrate/auto (ESM app)',
    args: ['--import', '@burnrate/auto', 'app.mjs'],
    base: 'node + openai (ESM app)',
  },
  {
    name: 'Burnrate: --import @burnrate/auto (CommonJS app)',
    args: ['--import', '@burnrate/auto', 'app.cjs'],
    base: 'node + openai (CommonJS app)',
  },
  {
    name: 'OTel SDK + instrumentation-openai (CommonJS app)',
    args: ['--import', './otel.mjs', 'app.cjs'],
    base: 'node + openai (CommonJS app)',
  },
  {
    name: 'OTel SDK + instrumentation-openai + ESM hook (ESM app)',
    args: ['--import', './otel.mjs', 'app.mjs'],
    env: { BENCH_ESM_HOOK: '1' },
    base: 'node + openai (ESM app)',
  },
  {
    name: 'OTel SDK + Traceloop instrumentation-openai (CommonJS app)',
    args: ['--import', './traceloop.mjs', 'app.cjs'],
    base: 'node + openai (CommonJS app)',
  },
  {
    name: 'OTel SDK + Traceloop instrumentation-openai + ESM hook (ESM app)',
    args: ['--import', './traceloop.mjs', 'app.mjs'],
    env: { BENCH_ESM_HOOK: '1' },
    base: 'node + openai (ESM app)',
  },
];

/**
 * Start-up of a minimal service (it imports openai and makes a client) with each way of adding
 * tracing, in interleaved rounds: CPU time of the whole process and its wall time since it
 * started (report.mjs prints both at exit). Every instrumented variant exports over OTLP (the
 * default), as a service would.
 */
export function benchStartup(runs = 11): string {
  buildBurnrate();
  const cwd = path.join(here, 'startup-app');
  const samples = new Map<string, { cpu: number[]; wall: number[] }>();
  for (let round = 0; round < runs; round++) {
    for (const v of STARTUP_VARIANTS) {
      const out = spawnSync(process.execPath, ['--import', './report.mjs', ...v.args], {
        cwd,
        env: { ...process.env, NODE_OPTIONS: '', OTEL_METRICS_EXPORTER: 'none', ...v.env },
        encoding: 'utf8',
      });
      const line = /startup-report (\{.*\})/.exec(out.stderr ?? '');
      if (out.status !== 0 || !line) throw new Error(`${v.name} failed: ${out.stderr}`);
      const r = JSON.parse(line[1]) as { cpuMs: number; wallMs: number };
      const s = samples.get(v.name) ?? { cpu: [], wall: [] };
      s.cpu.push(r.cpuMs);
      s.wall.push(r.wallMs);
      samples.set(v.name, s);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = STARTUP_VARIANTS.map((v) => {
    const s = samples.get(v.name)!;
    const b = samples.get(v.base)!;
    const cpu = med(s.cpu);
    const wall = med(s.wall);
    const added = v.base === v.name ? '—' : `+${(cpu - med(b.cpu)).toFixed(0)}`;
    const addedWall = v.base === v.name ? '—' : `+${(wall - med(b.wall)).toFixed(0)}`;
    return `| ${v.name} | ${cpu.toFixed(0)} | ${added} | ${wall.toFixed(0)} | ${addedWall} |`;
  });
  return [
    '## Start-up cost of the one import, beside the peers',
    '',
    `A minimal service (imports openai, makes a client; bench/startup-app), median of ${runs} interleaved rounds. CPU = the whole process's user+system time at exit; wall = time from the process's start to its exit. Peers are set up as lightly as their documentation allows (bench/startup-app/otel.mjs): without the ESM loader hook they do not patch an ES-module app's \`import OpenAI from 'openai'\`, so they are measured on a CommonJS app, and with the hook on the ESM app.`,
    '',
    '| process | CPU ms | added CPU ms | wall ms | added wall ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
}
