import { type FileHandle, mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { COLUMNS } from './columns.ts';
import type { EventRow } from './otlp-logs.ts';
import type { RowSink } from './pg-sink.ts';

const FILE = /^burnrate-ledger-(\d{4}-\d{2}-\d{2})\.(\d+)\.jsonl$/;

/** `burnrate-ledger-2026-12-06.0.jsonl`, `.1`, … : one series of files per UTC day. */
export function jsonlFileName(day: string, part: number): string {
  return `burnrate-ledger-${day}.${part}.jsonl`;
}

const keyOf = (r: { trace_id: unknown; span_id: unknown }) => `${r.trace_id}:${r.span_id}`;

/**
 * The JSONL sink: one JSON object per line with exactly the migration's column names, appended to
 * the current UTC day's file, a new part once a file passes maxBytes, and fsync'd before write()
 * resolves. A row whose (trace_id, span_id) is already in one of today's files is not written
 * again (the keys of today's files are read back at start, so a restarted writer still knows
 * them); across UTC days there is no check: a batch re-sent across midnight can appear in both
 * days' files (dedupe on trace_id, span_id when reading several days).
 */
export class JsonlSink implements RowSink {
  readonly #dir: string;
  readonly #maxBytes: number;
  #day = '';
  #part = 0;
  #size = 0;
  #file: FileHandle | undefined;
  #seen = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #now: () => Date;

  constructor(dir: string, maxBytes: number, now: () => Date = () => new Date()) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
    this.#now = now;
  }

  write(rows: EventRow[]): Promise<{ inserted: number }> {
    // One write at a time: appends, rotation and the seen-set stay consistent.
    const next = this.#queue.then(() => this.#write(rows));
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #openDay(day: string): Promise<void> {
    await this.#file?.close();
    this.#file = undefined;
    await mkdir(this.#dir, { recursive: true });
    this.#day = day;
    this.#seen = new Set();
    let last = 0;
    for (const name of await readdir(this.#dir)) {
      const m = FILE.exec(name);
      if (!m || m[1] !== day) continue;
      last = Math.max(last, Number(m[2]));
      for (const line of (await readFile(join(this.#dir, name), 'utf8')).split('\n')) {
        if (!line) continue;
        try {
          this.#seen.add(keyOf(JSON.parse(line) as EventRow));
        } catch {
          // A torn last line (a crash mid-write): its row was never acknowledged, it comes again.
        }
      }
    }
    await this.#openPart(last);
  }

  async #openPart(part: number): Promise<void> {
    await this.#file?.close();
    this.#part = part;
    const path = join(this.#dir, jsonlFileName(this.#day, part));
    this.#file = await open(path, 'a');
    this.#size = (await stat(path)).size;
    if (this.#size === 0) {
      // A new file: its directory entry is made durable too, before any row is acknowledged.
      const dir = await open(this.#dir, 'r');
      await dir.sync().finally(() => dir.close());
    }
  }

  async #write(rows: EventRow[]): Promise<{ inserted: number }> {
    const now = this.#now();
    const day = now.toISOString().slice(0, 10);
    if (day !== this.#day || !this.#file) await this.#openDay(day);
    const receivedAt = now.toISOString();
    let out = '';
    const added = new Set<string>();
    for (const row of rows) {
      const key = keyOf(row);
      if (this.#seen.has(key) || added.has(key)) continue;
      added.add(key);
      const line: Record<string, unknown> = {};
      for (const [name] of COLUMNS) line[name] = name === 'received_at' ? receivedAt : row[name];
      out += `${JSON.stringify(line)}\n`;
    }
    if (!out) return { inserted: 0 };
    if (this.#size > 0 && this.#size + Buffer.byteLength(out) > this.#maxBytes)
      await this.#openPart(this.#part + 1);
    const file = this.#file as FileHandle;
    await file.appendFile(out);
    await file.sync();
    this.#size += Buffer.byteLength(out);
    for (const k of added) this.#seen.add(k);
    return { inserted: added.size };
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#file?.close();
    this.#file = undefined;
  }
}
