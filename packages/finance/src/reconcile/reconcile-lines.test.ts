import { describe, expect, it } from 'vitest';
import { type CallSpec, ledgerRow as fixtureRow, GPT_4O } from './fixtures/ledger-rows.ts';
import { ledgerRow } from './ledger/row.ts';
import { reconcile } from './reconcile.ts';
import type { ProviderRecord } from './types.ts';

const TOL = { usd: 0.01, pct: 0 };
const rows = (calls: CallSpec[]) => calls.map((c) => ledgerRow(fixtureRow(c), 'test', null));

function costs(day: string, model: string | null, usd: number, charge?: string): ProviderRecord {
  return {
    day,
    provider: 'openai',
    model,
    ...(charge ? { charge } : {}),
    project: 'proj_shop',
    apiKey: null,
    tokens: null,
    requests: null,
    usd: { total: usd, byKind: {} },
    source: 'test',
  };
}

const call = (time: string, model: string, output: number): CallSpec => ({
  provider: 'openai',
  time,
  model,
  input: 0,
  output,
  prices: GPT_4O,
});

describe('reconcile lines', () => {
  it('ledger calls the export lacks; non-token charges apart from the models', () => {
    const lines = reconcile(
      rows([
        call('2025-03-01T10:00:00Z', 'gpt-4o-2024-08-06', 100_000),
        call('2025-03-01T11:00:00Z', 'o3-2025-04-16', 50_000),
      ]),
      [
        costs('2025-03-01', 'gpt-4o-2024-08-06', 1),
        costs('2025-03-01', null, 0.25, 'web search tool calls'),
      ],
      TOL,
    );
    expect(
      lines.map((l) => [l.model, l.ledger.usd, l.export.usd, l.diffUsd, l.over, l.causes]),
    ).toEqual([
      [
        '(web search tool calls)',
        0,
        0.25,
        -0.25,
        true,
        ['non-token charge (web search tool calls): the ledger prices model tokens only'],
      ],
      ['gpt-4o-2024-08-06', 1, 1, 0, false, []],
      [
        'o3-2025-04-16',
        0.5,
        0,
        0.5,
        true,
        [
          'not in the openai export: 1 ledger call from checkout (a different account or project, or the export is not final yet)',
        ],
      ],
    ]);
  });

  it('an export not grouped by model: one line per day for the provider, every model summed', () => {
    const lines = reconcile(
      rows([
        call('2025-03-01T10:00:00Z', 'gpt-4o-2024-08-06', 100_000),
        call('2025-03-01T11:00:00Z', 'o3-2025-04-16', 50_000),
      ]),
      [costs('2025-03-01', null, 1.75)],
      TOL,
    );
    expect(
      lines.map((l) => [l.model, l.ledger.calls, l.ledger.usd, l.export.usd, l.diffUsd, l.over]),
    ).toEqual([['*', 2, 1.5, 1.75, -0.25, true]]);
    expect(lines[0].causes).toEqual([
      'provider more than the ledger: no cause found in the ledger',
    ]);
  });
});
