import { describe, expect, it } from 'vitest';
import { parseLogsRequest } from './otlp-logs.ts';
import { int, ledgerEvent, logsBody, str } from './test-support/events.ts';
import { decimalString } from './values.ts';

describe('decimalString', () => {
  it('writes money without an exponent, exactly as JavaScript prints the double', () => {
    expect(decimalString(3.75e-5)).toBe('0.0000375');
    expect(decimalString(1.5e-7)).toBe('0.00000015');
    expect(decimalString(0.000375)).toBe('0.000375');
    expect(decimalString(12.5)).toBe('12.5');
    expect(decimalString(1e21)).toBe('1000000000000000000000');
    expect(decimalString(0)).toBe('0');
    expect(decimalString(0.15e-3 + 0.06e-3)).toBe('0.00021'); // 0.00020999999999999998
    expect(decimalString(0.1 + 0.2)).toBe('0.3');
  });
});

describe('parseLogsRequest', () => {
  it('maps a ledger event to a row with the migration column names', () => {
    const { rows, rejected, ignored } = parseLogsRequest(
      logsBody([ledgerEvent(1, 0.000375, [str('tenant', 'acme'), int('cache_read_tokens', 200)])]),
    );
    expect(rejected).toBe(0);
    expect(ignored).toBe(0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      trace_id: `${'a'.repeat(31)}1`,
      span_id: `${'b'.repeat(15)}1`,
      time: '2025-12-06T05:46:40.001000Z',
      service: 'checkout',
      environment: 'test',
      tenant: 'acme',
      input_tokens: 1000,
      cache_read_tokens: 200,
      cost_usd: '0.000375',
      price_input_per_mtok: '0.15',
      cost_source: 'usage',
      outcome: 'ok',
      team: null,
    });
  });

  it('ignores other log records and rejects events that do not fit, naming the field', () => {
    const bad = ledgerEvent(2, -1);
    const noTrace = { ...ledgerEvent(3, 1), traceId: '' };
    const badSource = ledgerEvent(4, 1, [str('cost_source', 'guess')]);
    const nan = ledgerEvent(5, 1, [{ key: 'duration_ms', value: { doubleValue: 'NaN' } }]);
    const other = { ...ledgerEvent(6, 1), eventName: 'app.log' };
    const r = parseLogsRequest(
      logsBody([bad, noTrace, badSource, nan, other, ledgerEvent(7, 0.5)]),
    );
    expect(r.rows.map((x) => x.cost_usd)).toEqual(['0.5']);
    expect(r.ignored).toBe(1);
    expect(r.rejected).toBe(4);
    expect(r.errors.join('\n')).toMatch(/cost_usd: expected a finite amount/);
    expect(r.errors.join('\n')).toMatch(/trace_id: expected 32 hex digits/);
    expect(r.errors.join('\n')).toMatch(
      /cost_source: expected usage, estimated, unpriced or refused/,
    );
    expect(r.errors.join('\n')).toMatch(/duration_ms: expected a finite number/);
  });

  it('refuses a body that is not an OTLP/JSON request', () => {
    expect(() => parseLogsRequest('{not json')).toThrow(/body: not JSON/);
    expect(() => parseLogsRequest('[]')).toThrow(/ExportLogsServiceRequest/);
  });
});
