// Which Burnrate instrumentations a service that uses only openai has loaded: one, made when
// openai was imported (lazy-instrumentations.ts). Run with
// `node --import ./record-loads.mjs --import @burnrate/auto`.
import { burnrate } from '@burnrate/auto';

const before = burnrate()?.instrumentations.map((i) => i.instrumentationName) ?? null;
const { OpenAI } = await import('openai');
new OpenAI({ apiKey: 'k' });
const after = burnrate()?.instrumentations.map((i) => i.instrumentationName) ?? null;
// Recorded by record-loads.mjs, preloaded first.
const loaded = (globalThis.__loadedUrls ?? [])
  // (The Vercel AI SDK's package is loaded at start: it sets up the AI SDK's telemetry stand-in.)
  .filter((f) => /instrumentation-(?!openai\/|vercel-ai\/)[a-z-]+\/(src|dist)\//.test(f))
  .map((f) => f.replace(/.*\/packages\//, ''));
const loadedAnything = (globalThis.__loadedUrls ?? []).some((f) =>
  f.includes('instrumentation-openai/'),
);
console.log(JSON.stringify({ before, after, otherInstrumentationFiles: loaded, loadedAnything }));
