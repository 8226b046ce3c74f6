// The digest's YAML config: one clear error naming file, line, column and field.
import { readFileSync } from 'node:fs';
import { type Document, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { digestSchema, type RawDigestConfig } from './config-schema.ts';
import { parseSchedule, type Schedule } from './schedule.ts';
import { resolveSecret, type Secret, type SecretRef } from './secret.ts';

export class DigestConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly problem: string;

  constructor(file: string, line: number, column: number, field: string, problem: string) {
    super(`${file}:${line}:${column}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'DigestConfigError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
    this.problem = problem;
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  tls: 'starttls' | 'implicit' | 'none';
  username: string | null;
  password: Secret | null;
  /** PEM text of extra trusted CAs (ca_file). */
  ca: string | null;
  helloName: string;
  timeoutMs: number;
}

export type Channel =
  | { type: 'slack'; name: string; url: Secret; timeoutMs: number }
  | {
      type: 'webhook';
      name: string;
      url: Secret;
      headers: Record<string, Secret>;
      timeoutMs: number;
    }
  | {
      type: 'email';
      name: string;
      from: string;
      fromName: string;
      to: string[];
      subject: string | null;
      smtp: SmtpSettings;
    };

export interface DigestConfig {
  file: string;
  schedule: Schedule;
  timeZone: string;
  prometheusUrl: string | null;
  dashboardUrl: string | null;
  top: number;
  atRisk: { utilization: number; forecast: number };
  jump: { ratio: number; minUsd: number };
  channels: Channel[];
}

type PathKey = string | number;

function fieldName(path: readonly PathKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

class Locator {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;

  constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file;
    this.doc = doc;
    this.lines = lines;
  }

  /** An error at the deepest existing node of `path` (a key is pointed at, not its value). */
  error(path: PathKey[], problem: string): DigestConfigError {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const node = n === 0 ? this.doc.contents : this.doc.getIn(sub, true);
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(this.keyOffset(sub) ?? node.range[0]);
        return new DigestConfigError(this.file, pos.line, pos.col, fieldName(path), problem);
      }
    }
    return new DigestConfigError(this.file, 1, 1, fieldName(path), problem);
  }

  private keyOffset(path: PathKey[]): number | undefined {
    const last = path[path.length - 1];
    if (typeof last !== 'string') return undefined;
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (!parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
    for (const item of (parent as { items: unknown[] }).items) {
      const key = (item as { key?: { value?: unknown; range?: [number, number, number] } }).key;
      if (key?.value === last && key.range) return key.range[0];
    }
    return undefined;
  }
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return 'unknown field (check the spelling)';
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return 'required field is missing';
  return issue.message;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

/** Parses digest YAML text; throws DigestConfigError on the first problem. */
export function parseDigestConfig(
  text: string,
  file: string,
  opts: LoadOptions = {},
): DigestConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = lines.linePos(e.pos[0]);
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new DigestConfigError(file, pos.line, pos.col, '', `invalid YAML: ${msg}`);
  }
  const at = new Locator(file, doc, lines);
  const parsed = digestSchema.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]);
    const more = parsed.error.issues.length - 1;
    throw at.error(path, describe(issue) + (more > 0 ? ` (and ${more} more problem(s))` : ''));
  }
  return normalise(parsed.data, at, opts);
}

/** Reads and parses a digest config file; an unreadable file is a DigestConfigError too. */
export function loadDigestConfig(file: string, opts: LoadOptions = {}): DigestConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? String(err);
    throw new DigestConfigError(file, 0, 0, '', `cannot read the file (${code})`);
  }
  return parseDigestConfig(text, file, opts);
}

function normalise(raw: RawDigestConfig, at: Locator, opts: LoadOptions): DigestConfig {
  const env = opts.env ?? process.env;
  const secret = (ref: SecretRef, path: PathKey[]): Secret => {
    const s = resolveSecret(ref, env, opts.readFile);
    if (typeof s === 'string') throw at.error(path, s);
    return s;
  };
  const seen = new Set<string>();
  const channels = raw.channels.map((c, i): Channel => {
    const name = c.name ?? `${c.type}-${i + 1}`;
    if (seen.has(name)) throw at.error(['channels', i, 'name'], `duplicate channel name "${name}"`);
    seen.add(name);
    const base = ['channels', i];
    const timeoutMs = (('timeout_seconds' in c ? c.timeout_seconds : undefined) ?? 30) * 1000;
    if (c.type === 'slack') {
      return {
        type: 'slack',
        name,
        url: secret(c.webhook_url, [...base, 'webhook_url']),
        timeoutMs,
      };
    }
    if (c.type === 'webhook') {
      const headers: Record<string, Secret> = {};
      for (const [h, ref] of Object.entries(c.headers ?? {})) {
        headers[h] = secret(ref, [...base, 'headers', h]);
      }
      return { type: 'webhook', name, url: secret(c.url, [...base, 'url']), headers, timeoutMs };
    }
    const s = c.smtp;
    const tls = s.tls ?? 'starttls';
    let ca: string | null = null;
    if (s.ca_file) {
      try {
        ca = (opts.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(s.ca_file);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error';
        throw at.error([...base, 'smtp', 'ca_file'], `cannot read ${s.ca_file} (${code})`);
      }
    }
    if (s.password && !s.username) {
      throw at.error([...base, 'smtp', 'password'], 'a password needs smtp.username');
    }
    return {
      type: 'email',
      name,
      from: c.from,
      fromName: c.from_name ?? 'Burnrate',
      to: c.to,
      subject: c.subject ?? null,
      smtp: {
        host: s.host,
        port: s.port ?? (tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25),
        tls,
        username: s.username ?? null,
        password: s.password ? secret(s.password, [...base, 'smtp', 'password']) : null,
        ca,
        helloName: s.hello_name ?? 'localhost',
        timeoutMs: (s.timeout_seconds ?? 30) * 1000,
      },
    };
  });
  const schedule = parseSchedule(raw.schedule);
  if (typeof schedule === 'string') throw at.error(['schedule'], schedule); // validated above
  return {
    file: at.file,
    schedule,
    timeZone: raw.timezone ?? 'UTC',
    prometheusUrl: raw.prometheus_url ?? null,
    dashboardUrl: raw.dashboard_url ?? null,
    top: raw.top ?? 5,
    atRisk: {
      utilization: raw.budgets_at_risk?.utilization ?? 0.8,
      forecast: raw.budgets_at_risk?.forecast ?? 1,
    },
    jump: { ratio: raw.spend_jump?.ratio ?? 1.5, minUsd: raw.spend_jump?.min_usd ?? 1 },
    channels,
  };
}
