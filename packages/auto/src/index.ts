/**
 * `import '@burnrate/auto'` (first import of the entry), `node --import @burnrate/auto app.js`,
 * `require('@burnrate/auto')` or `node --require @burnrate/auto app.js`: starts tracing with every
 * Burnrate instrumentation. Set `BURNRATE_AUTO_START=false` (or `OTEL_SDK_DISABLED=true`) to
 * import the API without starting anything.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BurnrateInstrumentation } from '@burnrate/core';
import { type BurnrateHandle, startBurnrate } from './start.ts';

export {
  type AgentFacts,
  type AgentRun,
  type Attribution,
  BurnrateSpanProcessor,
  currentAgentRun,
  currentAttribution,
  withAgentRun,
  withAttribution,
  withFrameworkAgent,
} from '@burnrate/core';
export { patchLoadedModules } from './eager-patch.ts';
export { type BurnrateHandle, startBurnrate } from './start.ts';

/**
 * Every Burnrate instrumentation (see `@burnrate/auto/instrumentations`), loaded when this is
 * called: the one import itself loads an instrumentation only when its library is loaded.
 */
export function burnrateInstrumentations(): BurnrateInstrumentation[] {
  const file = new URL(
    `./instrumentations${path.extname(fileURLToPath(import.meta.url))}`,
    import.meta.url,
  );
  const mod = createRequire(import.meta.url)(
    fileURLToPath(file),
  ) as typeof import('./instrumentations.ts');
  return mod.burnrateInstrumentations();
}

const KEY = Symbol.for('burnrate.auto');
type GlobalWithBurnrate = typeof globalThis & { [KEY]?: BurnrateHandle | null };
const g = globalThis as GlobalWithBurnrate;

function shouldStart(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  return env.BURNRATE_AUTO_START?.toLowerCase() !== 'false';
}

if (g[KEY] === undefined) {
  g[KEY] = null;
  if (shouldStart(process.env)) {
    try {
      g[KEY] = startBurnrate(process.env);
    } catch (error) {
      console.error('[burnrate] could not start; the service runs without Burnrate:', error);
    }
  }
}

/** The running Burnrate started by this import, if any. */
export function burnrate(): BurnrateHandle | undefined {
  return g[KEY] ?? undefined;
}
