// A clone is the whole product: no tracked file reads, links or names anything outside the
// repository (a sibling `shared/` folder, or an absolute path of one machine).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A folder beside the checkout: `shared` reached through one or more `..` steps. */
const OUTSIDE_RELATIVE = /(?:\.\.\/)+shared\b/;
/** Absolute paths of a particular machine's home or work folders. */
const MACHINE_PATH = /(?:^|[\s"'`(=:])\/(?:work|home|root|Users|mnt)\/[A-Za-z0-9._-]/;

function tracked(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && f !== 'package-lock.json');
}

function findOutsideReferences(files: { name: string; text: string }[]): string[] {
  const hits: string[] = [];
  for (const { name, text } of files) {
    text.split('\n').forEach((line, i) => {
      if (OUTSIDE_RELATIVE.test(line) || MACHINE_PATH.test(line))
        hits.push(`${name}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return hits;
}

describe('the repository stands alone', () => {
  it('finds the kinds of reference it forbids (the check can fail)', () => {
    const hits = findOutsideReferences([
      // Built from parts, so this file itself holds no such reference.
      { name: 'a.ts', text: `const dir = '${'../'.repeat(4)}${'sha'}red/fixtures/recorded';` },
      { name: 'b.md', text: `export PATH=/${'wo'}rk/main/.tools/bin:$PATH` },
      { name: 'c.sh', text: `# values verified in /${'ho'}me/dev/notes.md` },
      { name: 'd.ts', text: "import x from './shared.ts'; const u = 'https://x/work/y';" },
    ]);
    expect(hits.map((h) => h.split(':')[0])).toEqual(['a.ts', 'b.md', 'c.sh']);
  });

  it('no tracked file refers to a folder beside the checkout or to a path of one machine', () => {
    const files = tracked().flatMap((name) => {
      const buf = readFileSync(path.join(root, name));
      return buf.includes(0) ? [] : [{ name, text: buf.toString('utf8') }];
    });
    expect(files.length).toBeGreaterThan(100);
    expect(findOutsideReferences(files)).toEqual([]);
  });

  it('the recordings the tests replay live in the repository, with their provenance', () => {
    const files = tracked();
    const recordings = files.filter((f) => f.startsWith('test/fixtures/recorded/'));
    expect(recordings.length).toBeGreaterThan(30);
    expect(files).toContain('test/fixtures/NOTICE');
    const readme = readFileSync(path.join(root, 'test/fixtures/README.md'), 'utf8');
    expect(readme).toMatch(/Apache-2\.0/);
    expect(readme).toMatch(/commit \| `[0-9a-f]{40}`/);
  });
});
