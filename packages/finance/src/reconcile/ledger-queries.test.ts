import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallSpec, GPT_4O, ledgerRow } from './fixtures/ledger-rows.ts';

// Runs every ```sql block of docs/ledger-queries.md against PostgreSQL (PGlite) with the ledger
// migration applied and rows seeded around the current time, and checks each answer.

const DOC = readFileSync(new URL('../../../../docs/ledger-queries.md', import.meta.url), 'utf8');
const MIGRATION = readFileSync(
  new URL('../../../ledger/migrations/0001_ledger.sql', import.meta.url),
  'utf8',
);

/** Each sql block under the `## ` title it follows. */
function blocks(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  let title = '';
  let sql: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (sql) {
      if (line.startsWith('```')) {
        out.set(title, sql.join('\n'));
        sql = null;
      } else sql.push(line);
    } else if (line.startsWith('## ')) title = line.slice(3).trim();
    else if (line.trim() === '```sql') sql = [];
  }
  return out;
}

const QUERIES = blocks(DOC);
const FLAT = { input: 1, output: 10 };
const MINI = 'gpt-4o-mini-2024-07-18';
let db: PGlite;

type Row = Record<string, unknown>;
const usd = (v: unknown) => (v === null ? null : Number(v).toFixed(2));

async function query(title: string): Promise<Row[]> {
  const sql = QUERIES.get(title);
  if (!sql) throw new Error(`docs/ledger-queries.md has no sql block under "## ${title}"`);
  return (await db.query<Row>(sql)).rows;
}

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(MIGRATION);
  const a = (
    await db.query<{ day0: Date; week0: Date; month0: Date; now: Date }>(
      `SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day0,
              date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS week0,
              date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month0, now() AS now`,
    )
  ).rows[0];
  const at = (base: Date, minutes: number) =>
    new Date(base.getTime() + minutes * 60_000).toISOString();
  const run = at(a.week0, 1); // this week
  const yday = at(a.day0, -22 * 60); // yesterday 02:00
  const today = at(a.day0, 1);
  const last = at(a.month0, -10 * 24 * 60); // last month
  const old = at(a.now, -70 * 24 * 60); // before every window
  const call = (c: Partial<CallSpec> & { time: string }, extra: Row = {}) => ({
    ...ledgerRow({
      provider: 'openai',
      model: MINI,
      input: 0,
      output: 0,
      prices: FLAT,
      service: 'agent',
      ...c,
    }),
    ...extra,
  });
  const rows: Row[] = [];
  for (let i = 1; i <= 21; i++)
    rows.push(
      call({ time: run, output: 10_000 * i }, { run_id: `run-${String(i).padStart(2, '0')}` }),
    );
  rows.push(
    call({ time: run, output: 110_000 }, { run_id: 'run-22' }),
    call({ time: run, output: 110_000 }, { run_id: 'run-22' }),
  );
  rows.push(call({ time: old, output: 10_000_000 }, { run_id: 'run-old' }));
  rows.push(
    call({ time: yday, output: 25_000 }, { tenant: 'acme' }),
    call({ time: yday, output: 50_000 }, { tenant: 'acme' }),
    call(
      { time: yday, model: 'mystery-model-1', input: 1_000, output: 200, prices: null },
      { tenant: 'acme' },
    ),
    call({ time: today, output: 900_000 }, { tenant: 'acme' }),
    call({ time: yday, output: 500_000 }, { tenant: 'globex' }),
    call({ time: old, model: 'ancient-model', input: 5, output: 5, prices: null }),
  );
  rows.push(
    call(
      { time: yday, costSource: 'refused' },
      { tenant: 'initech', budget_name: 'monthly-llm', budget_decision: 'block' },
    ),
    call(
      { time: at(new Date(yday), 1), costSource: 'refused' },
      { tenant: 'initech', breaker_kind: 'loop', breaker_mode: 'enforce' },
    ),
    call(
      { time: yday, output: 1_000 },
      { tenant: 'initech', breaker_kind: 'steps', breaker_mode: 'record' },
    ),
    call({ time: old, costSource: 'refused' }, { budget_decision: 'block' }),
  );
  const sonnet = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
  rows.push(
    call({
      time: last,
      model: 'gpt-4o-2024-08-06',
      input: 1_000_000,
      cacheRead: 200_000,
      output: 100_000,
      prices: GPT_4O,
    }),
    call({
      time: last,
      model: 'gpt-4o-2024-08-06',
      input: 500_000,
      output: 50_000,
      prices: GPT_4O,
    }),
    call({
      time: last,
      model: 'gpt-4o-2024-08-06',
      input: 500_000,
      output: 50_000,
      prices: GPT_4O,
      costSource: 'refused',
    }),
    call({
      time: last,
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      input: 1_000_000,
      cacheRead: 500_000,
      cacheWrite: 100_000,
      output: 20_000,
      prices: sonnet,
    }),
    call({ time: last, output: 70_000 }),
  );
  for (const r of rows) {
    await db.query(
      'INSERT INTO burnrate_ledger SELECT * FROM json_populate_record(NULL::burnrate_ledger, $1)',
      [JSON.stringify(r)],
    );
  }
});

afterAll(async () => {
  await db?.close();
});

describe('docs/ledger-queries.md, run against the ledger table', () => {
  it('has the questions this test answers, each in its own sql block', () => {
    expect([...QUERIES.keys()]).toEqual([
      'The 20 most expensive runs this week',
      "The cost of one tenant's requests yesterday",
      'Every call a budget refused (last 7 days)',
      'What a price change would have cost last month',
      'Daily spend by model (last 7 days)',
      'Unpriced calls (last 7 days)',
    ]);
  });

  it('the 20 most expensive runs this week', async () => {
    const rows = await query('The 20 most expensive runs this week');
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => `${r.run_id} ${usd(r.cost_usd)}`).slice(0, 3)).toEqual([
      'run-22 2.20',
      'run-21 2.10',
      'run-20 2.00',
    ]);
    expect(rows.map((r) => `${r.run_id} ${usd(r.cost_usd)}`).at(-1)).toBe('run-03 0.30');
    expect([Number(rows[0].calls), Number(rows[0].tokens)]).toEqual([2, 220_000]);
  });

  it("the cost of one tenant's requests yesterday", async () => {
    const rows = await query("The cost of one tenant's requests yesterday");
    expect(
      rows.map((r) => [r.tenant, Number(r.calls), usd(r.cost_usd), Number(r.calls_without_cost)]),
    ).toEqual([['acme', 3, '0.75', 1]]);
  });

  it('every call a budget refused', async () => {
    const rows = await query('Every call a budget refused (last 7 days)');
    expect(
      rows.map((r) => [r.tenant, r.budget_name, r.budget_decision, r.breaker_kind, r.breaker_mode]),
    ).toEqual([
      ['initech', 'monthly-llm', 'block', null, null],
      ['initech', null, null, 'loop', 'enforce'],
    ]);
  });

  it('what a price change would have cost last month', async () => {
    const rows = await query('What a price change would have cost last month');
    expect(
      rows.map((r) => [
        r.model,
        Number(r.calls),
        Number(r.ledger_usd).toFixed(4),
        Number(r.repriced_usd).toFixed(4),
      ]),
    ).toEqual([
      ['claude-sonnet-4-20250514', 1, '2.0250', '2.0250'],
      ['gpt-4o-2024-08-06', 2, '5.0000', '4.0000'],
    ]);
  });

  it('daily spend by model', async () => {
    const rows = await query('Daily spend by model (last 7 days)');
    const byModel = new Map<string, { calls: number; usd: number }>();
    for (const r of rows) {
      const m = byModel.get(String(r.model)) ?? { calls: 0, usd: 0 };
      m.calls += Number(r.calls);
      m.usd += r.cost_usd === null ? 0 : Number(r.cost_usd);
      byModel.set(String(r.model), m);
    }
    expect(
      Object.fromEntries([...byModel].map(([k, v]) => [k, [v.calls, v.usd.toFixed(2)]])),
    ).toEqual({
      [MINI]: [28, '40.06'],
      'mystery-model-1': [1, '0.00'],
    });
  });

  it('unpriced calls', async () => {
    const rows = await query('Unpriced calls (last 7 days)');
    expect(
      rows.map((r) => [
        r.provider,
        r.model,
        Number(r.calls),
        Number(r.input_tokens),
        Number(r.output_tokens),
      ]),
    ).toEqual([['openai', 'mystery-model-1', 1, 1_000, 200]]);
  });
});
