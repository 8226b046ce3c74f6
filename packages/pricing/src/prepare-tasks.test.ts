import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * `prepare` runs when a provider's first call starts, on the service's event loop: each step's
 * first run compiles its code, so each step gets a task of its own (the pricing bench times them:
 * under 1 ms each, against 1.4–2 ms when the resolution was one task). This file watches the
 * steps through the modules they call, with a probe that counts the turns of the event loop.
 */
let turn = 0;
const seen: { step: string; turn: number; detail?: string }[] = [];
const record = (step: string, detail?: string) => {
  if (!seen.some((s) => s.step === step && s.detail === detail)) seen.push({ step, turn, detail });
};

vi.mock('./providers.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./providers.ts')>();
  return {
    ...real,
    knownCatalogProviderId: (name: string) => {
      record('provider id');
      return real.knownCatalogProviderId(name);
    },
    modelCandidates: (model: string) => {
      record('candidates');
      return real.modelCandidates(model);
    },
  };
});
vi.mock('./compute.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('./compute.ts')>();
  return {
    ...real,
    fromCatalog: (...args: Parameters<typeof real.fromCatalog>) => {
      record('prices');
      return real.fromCatalog(...args);
    },
    computeCost: (...args: Parameters<typeof real.computeCost>) => {
      record('arithmetic');
      return real.computeCost(...args);
    },
  };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readFile: ((file: URL, ...rest: []) => {
      record('read', String(file).split('/').pop());
      return real.readFile(file, ...rest);
    }) as typeof real.readFile,
  };
});

const { catalogProviderLoaded } = await import('./catalog.ts');
const { createPricer } = await import('./pricer.ts');

/**
 * Starts the probe, then `start` (in the same task), and counts turns until what it returns
 * settles; records the turn in which each provider's file was first seen parsed.
 */
async function watchTurns(start: () => Promise<unknown> | undefined, providers: string[]) {
  let settled = false;
  const parsedAt = new Map<string, number>();
  const probed = new Promise<void>((resolve) => {
    const probe = () => {
      turn++;
      for (const p of providers)
        if (!parsedAt.has(p) && catalogProviderLoaded(p)) parsedAt.set(p, turn);
      if (settled) resolve();
      else setImmediate(probe);
    };
    setImmediate(probe);
  });
  const promise = start() ?? Promise.resolve();
  void promise.finally(() => {
    settled = true;
  });
  await probed;
  await promise;
  return parsedAt;
}

afterEach(() => {
  seen.length = 0;
  turn = 0;
});

const turnOf = (step: string, detail?: string) =>
  seen.find((s) => s.step === step && (detail === undefined || s.detail === detail))?.turn;

describe('pricer.prepare: one step per task', () => {
  it('does nothing in the caller’s task, then resolves the model in steps of their own', async () => {
    const pricer = createPricer();
    await watchTurns(() => {
      const ready = pricer.prepare?.('openai', 'gpt-4o-mini');
      expect(seen).toEqual([]); // the caller's task: nothing looked up, nothing read
      return ready;
    }, ['openai']);
    // The provider looked up and its file's read started in a task after the caller's.
    expect(turnOf('provider id')).toBeGreaterThan(0);
    const order = ['read', 'candidates', 'prices', 'arithmetic'].map((s) => turnOf(s));
    for (const t of order) expect(t).toBeGreaterThan(0);
    // Each a later turn than the one before it.
    for (let i = 1; i < order.length; i++)
      expect(order[i] ?? 0, `step ${i}`).toBeGreaterThan(order[i - 1] ?? 0);
    // And ready: the first call is priced from the catalog ($0.15 / $0.60 per million tokens).
    const cost = pricer.priceModelCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      tokens: { input: 1000, output: 1000 },
    });
    expect(cost?.totalUsd).toBeCloseTo(0.00075, 12);
  });

  it('starts a fallback provider’s read in a task after the provider’s own parse', async () => {
    // Google's catalog falls back to Anthropic's.
    const pricer = createPricer();
    const parsedAt = await watchTurns(
      () => pricer.prepare?.('gcp.gen_ai', 'gemini-2.5-pro'),
      ['google'],
    );
    const googleParsed = parsedAt.get('google');
    const anthropicRead = turnOf('read', 'anthropic.json');
    expect(googleParsed).toBeDefined();
    expect(anthropicRead).toBeDefined();
    // A probe saw Google's file parsed before Anthropic's read started: another task.
    expect(anthropicRead ?? 0).toBeGreaterThanOrEqual(googleParsed ?? Number.POSITIVE_INFINITY);
    expect(catalogProviderLoaded('anthropic')).toBe(true);
  });
});
