import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { JsonlSink } from './jsonl-sink.ts';
import { parseLogsRequest } from './otlp-logs.ts';
import { ledgerEvent, logsBody } from './test-support/events.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const rows = (from: number, n: number) =>
  parseLogsRequest(logsBody(Array.from({ length: n }, (_, i) => ledgerEvent(from + i, 0.01)))).rows;

it('rotates by size and by UTC day, and dedupes a re-sent batch across a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'burnrate-jsonl-'));
  dirs.push(dir);
  let now = new Date('2026-12-06T23:59:58Z');
  const clock = () => now;
  const sink = new JsonlSink(dir, 4_000, clock);
  expect(await sink.write(rows(0, 3))).toEqual({ inserted: 3 });
  expect(await sink.write(rows(3, 3))).toEqual({ inserted: 3 });
  expect(await sink.write(rows(0, 6))).toEqual({ inserted: 0 }); // a retry adds nothing
  await sink.close();
  // A restarted writer reads today's keys back.
  const again = new JsonlSink(dir, 4_000, clock);
  expect(await again.write(rows(4, 4))).toEqual({ inserted: 2 });
  now = new Date('2026-12-07T00:00:01Z');
  expect(await again.write(rows(8, 1))).toEqual({ inserted: 1 });
  await again.close();
  const files = (await readdir(dir)).sort();
  expect(files).toEqual([
    'burnrate-ledger-2026-12-06.0.jsonl',
    'burnrate-ledger-2026-12-06.1.jsonl',
    'burnrate-ledger-2026-12-06.2.jsonl',
    'burnrate-ledger-2026-12-07.0.jsonl',
  ]);
  const all = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8'))))
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { span_id: string; received_at: string });
  expect(all).toHaveLength(9);
  expect(new Set(all.map((r) => r.span_id)).size).toBe(9);
  expect(all.at(-1)?.received_at).toBe('2026-12-07T00:00:01.000Z');
});
