import { describe, expect, it } from 'vitest';
import { ConfigError, loadRulesFile, parseRules } from './load.ts';

const GOOD = `payer: tenant
shared:
  - name: platform
    description: the shared gateway team
    selector: 'team="platform", environment=~"prod.*"'
    split: usage
    receivers: [acme, globex]
  - name: search-index
    selector: { endpoint: /search, service: { not_equals: batch } }
    split: { acme: 60%, globex: 40% }
unassigned:
  split: { acme: 100% }
markup:
  default: 10%
  payers: { globex: 12.5% }
`;

function error(text: string): ConfigError {
  try {
    parseRules(text, 'chargeback.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('chargeback rules file', () => {
  it('reads a good file', () => {
    const r = parseRules(GOOD, 'chargeback.yaml');
    expect(r.payer).toBe('tenant');
    expect(r.shared[0].selector).toBe('team="platform", environment=~"prod.*"');
    expect(r.shared[0].split).toEqual({ kind: 'usage', receivers: ['acme', 'globex'] });
    expect(r.shared[1].selector).toBe('endpoint="/search", service!="batch"');
    expect(r.shared[1].split).toEqual({
      kind: 'fixed',
      shares: [
        { payer: 'acme', ratio: 0.6 },
        { payer: 'globex', ratio: 0.4 },
      ],
    });
    expect(r.unassigned).toEqual({ kind: 'fixed', shares: [{ payer: 'acme', ratio: 1 }] });
    expect(r.markup).toEqual({ default: 0.1, payers: { globex: 0.125 } });
  });

  it('reads the shipped example', () => {
    const url = new URL('../../../examples/chargeback.example.yaml', import.meta.url);
    const r = loadRulesFile(url.pathname);
    expect(r.shared.map((p) => p.name)).toEqual(['trust-safety', 'research-staging']);
    expect(r.markup).toEqual({ default: 0.08, payers: { research: 0 } });
  });

  it('defaults: payer team, nothing shared, no markup', () => {
    expect(parseRules('', 'x.yaml')).toMatchObject({
      payer: 'team',
      shared: [],
      unassigned: null,
      markup: { default: 0, payers: {} },
    });
  });

  it.each([
    [
      'percentages that do not add up',
      GOOD.replace('acme: 60%', 'acme: 50%'),
      'chargeback.yaml:10:5: shared[1].split: fixed percentages must add up to 100%, these add up to 90%',
    ],
    [
      'an unknown field',
      GOOD.replace('    split: usage\n', '    spilt: usage\n'),
      'chargeback.yaml:6:5: shared[0].spilt: unknown field (check the spelling)',
    ],
    [
      'an unknown label in a selector',
      GOOD.replace('team="platform"', 'squad="platform"'),
      'chargeback.yaml:5:5: shared[0].selector: unknown label "squad"',
    ],
    [
      'a bad regex',
      GOOD.replace('prod.*', 'prod(('),
      'chargeback.yaml:5:5: shared[0].selector: not a valid regular expression',
    ],
    [
      'PromQL it cannot read',
      GOOD.replace(`'team="platform", environment=~"prod.*"'`, `'team=platform'`),
      'chargeback.yaml:5:5: shared[0].selector: expected label="value" matchers',
    ],
    [
      'a markup without %',
      GOOD.replace('default: 10%', 'default: 0.1'),
      'chargeback.yaml:14:3: markup.default: expected a percentage like 10%',
    ],
    ['a bad payer label', 'payer: squad\n', 'chargeback.yaml:1:1: payer: Invalid option'],
    [
      'receivers with a fixed split',
      'unassigned:\n  split: { a: 100% }\n  receivers: [b]\n',
      'chargeback.yaml:3:3: unassigned.receivers: receivers go with split: usage',
    ],
    [
      'a missing selector',
      'shared:\n  - name: x\n    split: usage\n',
      'chargeback.yaml:2:5: shared[0].selector: required field is missing',
    ],
    [
      'a duplicate pool',
      'shared:\n  - { name: x, selector: { team: a }, split: usage }\n  - { name: x, selector: { team: b }, split: usage }\n',
      'chargeback.yaml:3:7: shared[1].name: duplicate pool name "x"',
    ],
    ['invalid YAML', 'shared: [\n', 'chargeback.yaml:2:1: invalid YAML'],
  ])('names file, line and field for %s', (_, text, want) => {
    const e = error(text);
    expect(e.message.startsWith(want), e.message).toBe(true);
  });
});
