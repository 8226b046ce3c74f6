import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ModelInfo, ModelPrice, Provider } from '@pydantic/genai-prices';
import { CATALOG_PROVIDER_IDS } from './catalog-ids.ts';
import { compileMatch } from './match.ts';

export { CATALOG_PROVIDER_IDS, CATALOG_VERSION } from './catalog-ids.ts';

/**
 * The catalog, one JSON file per provider (scripts/split-catalog.ts writes them from the bundled
 * genai-prices package; catalog-files.test.ts checks they hold the same data). A provider is read
 * when a call is first priced with it (about 0.2 ms for OpenAI's 42 kB), instead of the package's
 * 0.8 MB module (about 30 ms) at every process start.
 */
const CATALOG_DIR = new URL('../catalog/', import.meta.url);
const KNOWN = new Set(CATALOG_PROVIDER_IDS);

function readProvider(id: string): Provider | null | Error {
  if (!KNOWN.has(id)) return null;
  try {
    return JSON.parse(readFileSync(new URL(`${id}.json`, CATALOG_DIR), 'utf8')) as Provider;
  } catch (error) {
    // Kept, so a broken install fails each call's pricing (unpriced, reported) without re-reading.
    return new Error(`catalog file of provider ${id} unreadable: ${String(error)}`);
  }
}

export interface CatalogEntry {
  /** The catalog provider whose model list holds the entry (a fallback provider for Azure). */
  provider: Provider;
  model: ModelInfo;
}

const providers = new Map<string, Provider | null | Error>();

/** A catalog provider by its exact id ('openai', 'aws', 'x-ai', ...), or undefined. */
export function catalogProvider(id: string): Provider | undefined {
  let p = providers.get(id);
  if (p === undefined) {
    p = readProvider(id);
    providers.set(id, p);
  }
  if (p instanceof Error) throw p;
  return p ?? undefined;
}

/** Whether `id` is a provider of the catalog (no file is read). */
export function isCatalogProviderId(id: string): boolean {
  return KNOWN.has(id);
}

/** Whether a provider's catalog file has been read (test support and diagnostics). */
export function catalogProviderLoaded(id: string): boolean {
  const p = providers.get(id);
  return p !== undefined && p !== null && !(p instanceof Error);
}

/** A promise settled in a later task of the event loop (after pending I/O callbacks). */
export const nextTask = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a provider's catalog file (and its fallback providers') without blocking the thread: the
 * file is read off it, and parsed in a task of its own. Afterwards pricing that provider's first
 * call reads nothing. Rejects if the file cannot be read: the first call then reads it as before,
 * and reports the error there.
 */
export async function preloadCatalogProvider(id: string): Promise<void> {
  if (!KNOWN.has(id) || providers.has(id)) return;
  const text = await readFile(new URL(`${id}.json`, CATALOG_DIR), 'utf8');
  await nextTask();
  if (providers.has(id)) return;
  const provider = JSON.parse(text) as Provider;
  providers.set(id, provider);
  for (const fallback of provider.fallback_model_providers ?? []) {
    await nextTask(); // its read starts in a task of its own, not with this parse
    await preloadCatalogProvider(fallback);
  }
}

function firstMatch(provider: Provider, id: string): ModelInfo | undefined {
  for (const m of provider.models) if (compileMatch(m.match)(id)) return m;
  return undefined;
}

/** genai-prices' lookup: the provider's own list, then its fallback providers (one level). */
function lookup(provider: Provider, id: string): CatalogEntry | undefined {
  const own = firstMatch(provider, id);
  if (own) return { provider, model: own };
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = catalogProvider(fallbackId);
    const m = fallback && firstMatch(fallback, id);
    if (fallback && m) return { provider: fallback, model: m };
  }
  return undefined;
}

const DATE_IN_ID = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** `-20240806` -> `-2024-08-06` for real dates, as genai-prices retries dated ids. */
export function normalizeDates(id: string): string {
  return id.replace(DATE_IN_ID, (whole, dash: string, y: string, m: string, d: string) => {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    const valid =
      date.getUTCFullYear() === Number(y) &&
      date.getUTCMonth() === Number(m) - 1 &&
      date.getUTCDate() === Number(d);
    return valid ? `${dash}${y}-${m}-${d}` : whole;
  });
}

/**
 * Finds the catalog entry for a lower-cased, trimmed model id within one provider, exactly the way
 * genai-prices' calcPrice does (first matching rule wins; dated ids retried with dashes).
 */
export function findCatalogModel(provider: Provider, id: string): CatalogEntry | undefined {
  const found = lookup(provider, id);
  if (found) return found;
  const dated = normalizeDates(id);
  return dated === id ? undefined : lookup(provider, dated);
}

interface Schedule {
  kind: 'schedule';
  /** Checked from the last to the first, like the catalog does. */
  rules: { test: ((at: Date) => boolean) | null; prices: ModelPrice }[];
}

const schedules = new WeakMap<ModelInfo, ModelPrice | Schedule>();

/** The ModelPrice in force at `at`: start-date and time-of-day (UTC) constraints, as the catalog defines them. */
export function pricesAt(model: ModelInfo, at: Date): ModelPrice {
  let s = schedules.get(model);
  if (!s) {
    s = Array.isArray(model.prices)
      ? {
          kind: 'schedule',
          rules: model.prices.map((c) => ({
            test: constraintTest(c.constraint),
            prices: c.prices,
          })),
        }
      : model.prices;
    schedules.set(model, s);
  }
  if (!isSchedule(s)) return s;
  for (let i = s.rules.length - 1; i >= 0; i--) {
    const rule = s.rules[i];
    if (rule.test === null || rule.test(at)) return rule.prices;
  }
  return s.rules[0].prices;
}

function isSchedule(s: ModelPrice | Schedule): s is Schedule {
  return (s as { kind?: unknown }).kind === 'schedule';
}

type Constraint = { start_date: string } | { start_time: string; end_time: string };

function constraintTest(c: Constraint | undefined): ((at: Date) => boolean) | null {
  if (c === undefined) return null;
  if ('start_date' in c) {
    const start = new Date(c.start_date).getTime();
    return (at) => at.getTime() >= start;
  }
  const start = secondsOfDay(c.start_time);
  const end = secondsOfDay(c.end_time);
  return (at) => {
    const t =
      at.getUTCHours() * 3600 +
      at.getUTCMinutes() * 60 +
      at.getUTCSeconds() +
      at.getUTCMilliseconds() / 1000;
    return end < start ? t >= start || t < end : t >= start && t < end;
  };
}

const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** 'HH:MM:SS[.fff](Z|±HH:MM)' -> seconds after midnight UTC. */
function secondsOfDay(text: string): number {
  const m = TIME.exec(text);
  if (!m) return Number.NaN;
  const [, h, min, sec, frac = '', zone, sign, oh = '00', om = '00'] = m;
  const local = Number(h) * 3600 + Number(min) * 60 + Number(sec) + Number(`0.${frac}`);
  const offset = zone === 'Z' ? 0 : (sign === '+' ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60;
  return (local - offset + 86400) % 86400;
}
