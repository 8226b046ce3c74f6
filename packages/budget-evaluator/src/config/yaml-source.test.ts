import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, readConfigText, YamlSource } from './yaml-source.ts';

class RulesError extends ConfigError {
  constructor(file: string, line: number, column: number, field: string, problem: string) {
    super(file, line, column, field, problem);
    this.name = 'RulesError';
  }
}

const schema = z.strictObject({
  items: z.array(z.strictObject({ name: z.string(), limit: z.number() })),
});

function issue(text: string): ConfigError {
  const source = new YamlSource(text, 'f.yaml', RulesError);
  const result = schema.safeParse(source.data, { reportInput: true });
  if (result.success) throw new Error('expected a problem');
  return source.issueError(result.error);
}

describe('YamlSource: one located error for any config file', () => {
  it('points a wrong value at its key, and names the field as the user reads it', () => {
    const e = issue('items:\n  - name: a\n    limit: 1\n  - name: b\n    limit: lots\n');
    expect(e).toBeInstanceOf(RulesError);
    expect(e.name).toBe('RulesError');
    expect([e.line, e.column, e.field]).toEqual([5, 5, 'items[1].limit']);
    expect(e.message).toMatch(/^f\.yaml:5:5: items\[1\]\.limit: /);
  });

  it('points a missing field at its parent, a misspelt key at the key, and counts the rest', () => {
    const missing = issue('items:\n  - name: a\n');
    expect([missing.line, missing.field, missing.problem]).toEqual([
      2,
      'items[0].limit',
      'required field is missing',
    ]);
    // A misspelt key explains the missing field: a loader may report it first.
    const text = 'items:\n  - name: a\n    limt: 1\n    size: 2\n';
    const source = new YamlSource(text, 'f.yaml', RulesError);
    const result = schema.safeParse(source.data, { reportInput: true });
    if (result.success) throw new Error('expected a problem');
    const unknownFirst = source.issueError(
      result.error,
      undefined,
      (issues) => issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0],
    );
    expect([unknownFirst.line, unknownFirst.column, unknownFirst.field]).toEqual([
      3,
      5,
      'items[0].limt',
    ]);
    expect(unknownFirst.problem).toBe('unknown field (check the spelling) (and 1 more problem)');
  });

  it('reports YAML syntax and duplicate keys with their line, and an unreadable file', () => {
    expect(() => new YamlSource('a: 1\na: 2\n', 'f.yaml', RulesError)).toThrow(
      /^f\.yaml:2:1: invalid YAML: /,
    );
    expect(() => readConfigText(join('no', 'such', 'file.yaml'), RulesError)).toThrow(
      /file\.yaml:0:0: cannot read the file \(ENOENT\)/,
    );
  });
});
