import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { burnrateInstrumentations } from './instrumentations.ts';
import { lazyInstrumentations } from './lazy-instrumentations.ts';

const apps = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-apps');

describe('the one import loads an instrumentation when its library is loaded', () => {
  it('knows every instrumentation by the modules and versions the instrumentation itself patches', () => {
    const eager = burnrateInstrumentations();
    const lazy = lazyInstrumentations();
    expect(lazy.map((l) => l.packageName)).toEqual(eager.map((i) => i.instrumentationName));
    for (const [i, l] of lazy.entries()) {
      expect(l.modules, l.packageName).toEqual(eager[i].modules);
      expect(l.instance()?.constructor.name, l.packageName).toBe(l.exportName);
    }
  });

  it('a service that uses only openai makes one instrumentation, when it imports openai', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--conditions=@burnrate/source',
        '--import',
        './record-loads.mjs',
        '--import',
        '@burnrate/auto',
        'loaded-instrumentations.mjs',
      ],
      { cwd: apps, env: { PATH: process.env.PATH, OTEL_TRACES_EXPORTER: 'none' } },
    );
    const r = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
    expect(r.before).toEqual([]);
    expect(r.after).toEqual(['@burnrate/instrumentation-openai']);
    expect(r.loadedAnything).toBe(true);
    expect(r.otherInstrumentationFiles).toEqual([]);
  });
});
