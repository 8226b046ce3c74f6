import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appDependencies, sdkDependents } from './dependency-graph.ts';
import { satisfiesAny } from './versions.ts';

let dir: string;
const pkg = (at: string, json: object) => {
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, 'package.json'), JSON.stringify(json));
};

beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'burnrate-deps-')));
  const nm = path.join(dir, 'node_modules');
  pkg(dir, { dependencies: { framework: '1', other: '1' } });
  // framework → helper → openai (hoisted); framework also nests its own @anthropic-ai/sdk
  pkg(path.join(nm, 'framework'), { name: 'framework', dependencies: { helper: '1' } });
  pkg(path.join(nm, 'helper'), { name: 'helper', dependencies: { openai: '7' } });
  pkg(path.join(nm, 'openai'), { name: 'openai', version: '7.0.0' });
  pkg(path.join(nm, 'other'), {
    name: 'other',
    dependencies: { '@anthropic-ai/sdk': '0.30' },
    optionalDependencies: { cohere: '1' },
    peerDependencies: { 'cohere-ai': '7' },
  });
  pkg(path.join(nm, 'other', 'node_modules', '@anthropic-ai', 'sdk'), {
    name: '@anthropic-ai/sdk',
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the SDKs in the app’s dependency tree (package.json files only)', () => {
  it('finds SDKs at any depth, with the packages that import them; optional and peer ones of a dependency are not followed', () => {
    const app = appDependencies(path.join(dir, 'src'));
    expect(app).toEqual({ dir, names: ['framework', 'other'] });
    const found = sdkDependents(
      app as never,
      new Set(['openai', '@anthropic-ai/sdk', 'cohere-ai']),
    );
    expect(Object.fromEntries([...found].map(([k, v]) => [k, [...v]]))).toEqual({
      openai: [path.join(dir, 'node_modules', 'helper')],
      '@anthropic-ai/sdk': [path.join(dir, 'node_modules', 'other')],
    });
  });
});

describe('version ranges the instrumentations declare', () => {
  it('match like semver for the forms in use', () => {
    expect(satisfiesAny('7.57.0', ['>=6.0.0 <8'])).toBe(true);
    expect(satisfiesAny('4.29.2', ['>=6.0.0 <8'])).toBe(false);
    expect(satisfiesAny('8.0.0', ['>=6.0.0 <8'])).toBe(false);
    expect(satisfiesAny('3.400.0', ['>=3.400.0 <4'])).toBe(true);
    expect(satisfiesAny('2.1.0', ['>=3 <4 || >=2.1.0 <2.2'])).toBe(true);
    expect(satisfiesAny('5.0.0', ['*'])).toBe(true);
    expect(satisfiesAny('not-a-version', ['*'])).toBe(false);
  });
});
