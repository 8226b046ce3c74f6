import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from './load.ts';

const EXAMPLE = fileURLToPath(new URL('../../../../deploy/budgets.example.yaml', import.meta.url));

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, 'budgets.yaml');
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const VALID = `budgets:
  - name: a
    selector: { team: search }
    period: monthly
    limit_usd: 100
    thresholds:
      - { at: 1.0, kind: actual, severity: critical }
`;

describe('budgets.yaml: valid files', () => {
  it('loads the shipped example with defaults applied', () => {
    const cfg = loadConfigFile(EXAMPLE);
    expect(cfg.budgets.map((b) => b.name)).toEqual([
      'search-team-monthly',
      'support-bot-daily',
      'gpt-models-weekly',
      'staging-rolling-7d',
      'vector-search-quarterly',
    ]);
    const search = cfg.budgets[0];
    expect(search.period).toEqual({ kind: 'calendar', unit: 'monthly', timeZone: 'Europe/Berlin' });
    expect(search.sources).toEqual(['llm', 'vectordb']);
    expect(search.thresholds).toEqual([
      { ratio: 0.5, kind: 'actual', severity: 'info' },
      { ratio: 0.7, kind: 'forecast', severity: 'warning' },
      { ratio: 1, kind: 'actual', severity: 'critical' },
    ]);
    expect(search.enforcement).toEqual({ mode: 'degrade', degradeAt: 0.9 });
    expect(search.forecast).toEqual({ lookbackSeconds: 3600, stepSeconds: 300 });
    const gpt = cfg.budgets[2];
    expect(gpt.sources).toEqual(['llm']);
    expect(gpt.matchers).toEqual([
      { label: 'model', op: '=~', value: 'gpt-.*' },
      { label: 'provider', op: '=', value: 'openai' },
    ]);
    expect(gpt.enforcement).toEqual({ mode: 'record', degradeAt: null });
    expect(cfg.budgets[3].period).toEqual({
      kind: 'rolling',
      seconds: 7 * 86_400,
      label: 'rolling-7d',
    });
    expect(cfg.budgets[3].matchers).toEqual([
      { label: 'environment', op: '!=', value: 'production' },
    ]);
  });

  it('accepts an empty budget list', () => {
    expect(parseConfig('budgets: []\n', 'b.yaml').budgets).toEqual([]);
  });
});

describe('budgets.yaml: one clear error naming file, line and field', () => {
  it('a limit that is not a number', () => {
    const e = errorOf(VALID.replace('limit_usd: 100', 'limit_usd: "lots"'));
    expect(e.message).toBe(
      'budgets.yaml:5:5: budgets[0].limit_usd: Invalid input: expected number, received string',
    );
  });

  it('a missing required field points at its budget', () => {
    const e = errorOf(VALID.replace('    limit_usd: 100\n', ''));
    expect(e.line).toBe(2);
    expect(e.field).toBe('budgets[0].limit_usd');
    expect(e.problem).toBe('required field is missing');
  });

  it('a misspelt field points at the key', () => {
    const e = errorOf(VALID.replace('limit_usd: 100', 'limit_usd: 100\n    limt: 5'));
    expect(e.message).toBe('budgets.yaml:6:5: budgets[0].limt: unknown field (check the spelling)');
  });

  it('an unknown selector label', () => {
    const e = errorOf(VALID.replace('{ team: search }', '{ user_id: "42" }'));
    expect(e.line).toBe(3);
    expect(e.field).toBe('budgets[0].selector.user_id');
    expect(e.problem).toMatch(/unknown label "user_id"; a selector may use team, environment/);
  });

  it('an unknown time zone, period, or bad regex', () => {
    const tz = errorOf(
      VALID.replace('period: monthly', 'period: monthly\n    timezone: Mars/Olympus'),
    );
    expect(tz.message).toBe('budgets.yaml:5:5: budgets[0].timezone: unknown IANA time zone');
    const p = errorOf(VALID.replace('period: monthly', 'period: biweekly'));
    expect(p.field).toBe('budgets[0].period');
    expect(p.line).toBe(4);
    expect(p.problem).toMatch(/got "biweekly"/);
    const re = errorOf(VALID.replace('{ team: search }', "{ model: { regex: 'gpt-(4' } }"));
    expect(re.field).toBe('budgets[0].selector.model.regex');
    expect(re.problem).toMatch(/not a valid regular expression/);
  });

  it('duplicate names point at the second one', () => {
    const e = errorOf(`${VALID}${VALID.replace('budgets:\n', '')}`);
    expect(e.line).toBe(8);
    expect(e.problem).toBe('duplicate budget name "a" (first used by budgets[0])');
  });

  it('bad thresholds and enforcement', () => {
    const kind = errorOf(VALID.replace('kind: actual', 'kind: predicted'));
    expect(kind.field).toBe('budgets[0].thresholds[0].kind');
    expect(kind.line).toBe(7);
    const noThresholds = errorOf(VALID.replace(/ {4}thresholds:\n.*\n/, ''));
    expect(noThresholds.problem).toMatch(/no thresholds/);
    const enf = errorOf(
      VALID.replace(
        'limit_usd: 100',
        'limit_usd: 100\n    enforcement: { mode: block, degrade_at: 0.9 }',
      ),
    );
    expect(enf.field).toBe('budgets[0].enforcement.degrade_at');
    expect(enf.problem).toBe('degrade_at is only valid with mode: degrade');
  });

  it('YAML syntax errors carry the position', () => {
    const e = errorOf('budgets:\n  - name: a\n    selector: { team: search\n');
    expect(e.file).toBe('budgets.yaml');
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^budgets\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('counts further problems instead of listing them', () => {
    const e = errorOf(
      VALID.replace('limit_usd: 100', 'limit_usd: -1').replace('period: monthly', 'period: x'),
    );
    expect(e.message).toMatch(/\(and 1 more problem\)$/);
  });

  it('an unreadable file names the file', () => {
    expect(() => loadConfigFile('/nonexistent/budgets.yaml')).toThrow(
      '/nonexistent/budgets.yaml:0:0: cannot read the file (ENOENT)',
    );
  });
});
