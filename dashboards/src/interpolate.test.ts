import { describe, expect, it } from 'vitest';
import { interpolate, rateIntervalSeconds } from './interpolate.ts';

const base = { rangeSeconds: 3600, intervalSeconds: 15, scrapeIntervalSeconds: 15 };

describe('interpolate', () => {
  it('fills globals the way Grafana does', () => {
    const q =
      'increase(x[$__range]) / $__range_s + rate(x[$__rate_interval]) + rate(x[$__interval])';
    expect(interpolate(q, { ...base, vars: {} })).toBe(
      'increase(x[3600s]) / 3600 + rate(x[60s]) + rate(x[15s])',
    );
    expect(rateIntervalSeconds({ ...base, vars: {}, intervalSeconds: 120 })).toBe(135);
  });

  it('turns All into the allValue and several values into an escaped alternation', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's ${var} syntax under test
    const q = 'x{team=~"$team", endpoint=~"${endpoint}", model=~"$model"}';
    expect(
      interpolate(q, {
        ...base,
        vars: { team: '$__all', endpoint: ['/v1/chat', '/v1/items/{id}'], model: ['gpt-4.1'] },
      }),
    ).toBe('x{team=~".*", endpoint=~"(/v1/chat|/v1/items/\\\\{id\\\\})", model=~"gpt-4\\\\.1"}');
  });

  it('leaves unknown variables alone', () => {
    expect(interpolate('x{a=~"$nope"}', { ...base, vars: {} })).toBe('x{a=~"$nope"}');
  });
});
