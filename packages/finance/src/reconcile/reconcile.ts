import { explain } from './causes.ts';
import type { LedgerRow } from './ledger/row.ts';
import { modelKey } from './models.ts';
import {
  addKinds,
  type ByKind,
  KINDS,
  PROVIDERS,
  type Provider,
  type ProviderRecord,
  sumKinds,
  zeroKinds,
} from './types.ts';

export interface LedgerSide {
  /** Calls sent to the provider (refused ones never were). */
  calls: number;
  tokens: ByKind;
  /** Sum of cost_usd (usage and estimated rows). */
  usd: number;
  usdByKind: ByKind;
  /** Tokens of the priced calls, by kind: the denominators of the ledger's effective prices. */
  pricedTokens: ByKind;
  unpriced: { calls: number; tokens: number };
  estimated: { calls: number; tokens: number; usd: number };
  refused: number;
  /** Calls that started on the day before the one they are counted on (ended after midnight UTC). */
  straddling: number;
  services: Set<string>;
  names: Set<string>;
}

export interface ProviderSide {
  records: number;
  tokens: ByKind | null;
  usd: number | null;
  usdByKind: Partial<ByKind>;
  names: Set<string>;
  /** The export's projects (OpenAI project, Anthropic workspace, AWS account, GCP project) and keys. */
  projects: Set<string>;
  keys: Set<string>;
}

export interface Line {
  day: string;
  provider: Provider;
  /** The model as the ledger names it where it has calls, else as the export does; `*` = all. */
  model: string;
  /** A non-token charge (web search, provisioned throughput, …), priced by the provider only. */
  charge: string | null;
  ledger: LedgerSide;
  export: ProviderSide;
  diffTokens: number | null;
  diffUsd: number | null;
  /** diffUsd relative to the provider's dollars (null when they are 0 or unknown). */
  diffPct: number | null;
  over: boolean;
  causes: string[];
}

export interface Tolerance {
  usd: number;
  pct: number;
}

function emptyLedger(): LedgerSide {
  return {
    calls: 0,
    tokens: zeroKinds(),
    usd: 0,
    usdByKind: zeroKinds(),
    pricedTokens: zeroKinds(),
    unpriced: { calls: 0, tokens: 0 },
    estimated: { calls: 0, tokens: 0, usd: 0 },
    refused: 0,
    straddling: 0,
    services: new Set(),
    names: new Set(),
  };
}

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

function rowKinds(r: LedgerRow): ByKind {
  return {
    input: Math.max(0, r.inputTokens - r.cacheReadTokens - r.cacheWriteTokens),
    output: r.outputTokens,
    cacheRead: r.cacheReadTokens,
    cacheWrite: r.cacheWriteTokens,
  };
}

function addLedgerRow(s: LedgerSide, r: LedgerRow): void {
  if (r.model) s.names.add(r.model);
  s.services.add(r.service);
  if (r.costSource === 'refused') {
    s.refused++;
    return;
  }
  const kinds = rowKinds(r);
  s.calls++;
  s.tokens = addKinds(s.tokens, kinds);
  if (r.startTime !== null && dayOf(r.startTime) < dayOf(r.time)) s.straddling++;
  if (r.costSource === 'unpriced' || r.costUsd === null) {
    s.unpriced.calls++;
    s.unpriced.tokens += sumKinds(kinds);
    return;
  }
  s.usd += r.costUsd;
  if (r.costSource === 'estimated') {
    s.estimated.calls++;
    s.estimated.tokens += sumKinds(kinds);
    s.estimated.usd += r.costUsd;
  }
  const parts: [keyof ByKind, number | null][] = [
    ['input', r.costInputUsd],
    ['output', r.costOutputUsd],
    ['cacheRead', r.costCacheReadUsd],
    ['cacheWrite', r.costCacheWriteUsd],
  ];
  for (const [k, usd] of parts) {
    if (usd === null) continue;
    s.usdByKind[k] += usd;
    s.pricedTokens[k] += kinds[k];
  }
}

function addRecord(s: ProviderSide, r: ProviderRecord): void {
  s.records++;
  if (r.model) s.names.add(r.model);
  if (r.project) s.projects.add(r.project);
  if (r.apiKey) s.keys.add(r.apiKey);
  if (r.tokens) s.tokens = addKinds(s.tokens ?? zeroKinds(), r.tokens);
  if (r.usd) {
    s.usd = (s.usd ?? 0) + r.usd.total;
    for (const k of KINDS) {
      const v = r.usd.byKind[k];
      if (v !== undefined) s.usdByKind[k] = (s.usdByKind[k] ?? 0) + v;
    }
  }
}

/** Rounds away float noise (sums of decimal dollars) below a millionth of a cent. */
const clean = (x: number) => Math.round(x * 1e8) / 1e8;

export function isOver(
  l: Pick<Line, 'diffUsd' | 'diffTokens' | 'export' | 'ledger'>,
  t: Tolerance,
): boolean {
  if (l.diffUsd !== null) {
    const ref = Math.max(Math.abs(l.export.usd ?? 0), Math.abs(l.ledger.usd));
    return Math.abs(l.diffUsd) > t.usd && Math.abs(l.diffUsd) > (t.pct / 100) * ref;
  }
  if (l.diffTokens !== null && l.diffTokens !== 0) {
    const ref = Math.max(sumKinds(l.export.tokens ?? zeroKinds()), sumKinds(l.ledger.tokens));
    return Math.abs(l.diffTokens) > (t.pct / 100) * ref;
  }
  return false;
}

/**
 * Ledger against the providers' exports, a line per day × provider × model (× non-token charge).
 * A provider whose export is not grouped by model is compared per day × provider (`*`).
 */
export function reconcile(
  rows: LedgerRow[],
  records: ProviderRecord[],
  tolerance: Tolerance,
): Line[] {
  const collapsed = new Set<Provider>(
    records.filter((r) => r.model === null && !r.charge).map((r) => r.provider),
  );
  const lines = new Map<string, Line>();
  const line = (day: string, provider: Provider, key: string, charge: string | null): Line => {
    const id = `${day}\u0000${provider}\u0000${key}`;
    let l = lines.get(id);
    if (!l) {
      l = {
        day,
        provider,
        model: key,
        charge,
        ledger: emptyLedger(),
        export: {
          records: 0,
          tokens: null,
          usd: null,
          usdByKind: {},
          names: new Set(),
          projects: new Set(),
          keys: new Set(),
        },
        diffTokens: null,
        diffUsd: null,
        diffPct: null,
        over: false,
        causes: [],
      };
      lines.set(id, l);
    }
    return l;
  };
  const keyOf = (provider: Provider, model: string) =>
    collapsed.has(provider) ? '*' : modelKey(provider, model);
  const exported = new Set(records.map((r) => r.provider));
  for (const r of records) {
    if (r.charge) addRecord(line(r.day, r.provider, `charge:${r.charge}`, r.charge).export, r);
    else addRecord(line(r.day, r.provider, keyOf(r.provider, r.model ?? '*'), null).export, r);
  }
  for (const r of rows) {
    const provider = r.provider as Provider;
    if (!PROVIDERS.includes(provider) || !exported.has(provider)) continue;
    addLedgerRow(
      line(dayOf(r.time), provider, keyOf(provider, r.model ?? '(no model)'), null).ledger,
      r,
    );
  }
  // A provider whose export has dollars (tokens) billed $0 (0 tokens) where it has no line.
  const hasUsd = new Set(records.filter((r) => r.usd).map((r) => r.provider));
  const hasTokens = new Set(records.filter((r) => r.tokens).map((r) => r.provider));
  const out = [...lines.values()];
  for (const l of out) {
    if (l.export.records === 0 && hasUsd.has(l.provider)) l.export.usd = 0;
    if (l.export.records === 0 && hasTokens.has(l.provider)) l.export.tokens = zeroKinds();
    const name = [...l.ledger.names][0] ?? [...l.export.names][0];
    if (l.model !== '*' && !l.charge && name) l.model = name;
    if (l.charge) l.model = `(${l.charge})`;
    if (l.export.tokens) l.diffTokens = sumKinds(l.ledger.tokens) - sumKinds(l.export.tokens);
    if (l.export.usd !== null) {
      l.diffUsd = clean(l.ledger.usd - l.export.usd);
      l.diffPct = l.export.usd === 0 ? null : (l.diffUsd / l.export.usd) * 100;
    }
    l.over = isOver(l, tolerance);
  }
  out.sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      a.provider.localeCompare(b.provider) ||
      a.model.localeCompare(b.model),
  );
  for (const l of out) l.causes = explain(l, out, tolerance);
  return out;
}
