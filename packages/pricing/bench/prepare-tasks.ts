// One fresh process (run by run.ts): the tasks of a provider's first use, as @burnrate/core's
// warmPricing runs it at a model call's start (a task that gets the default pricer and calls
// `prepare`). A chain of setImmediate probes runs beside it: the time between two probes is the
// longest the event loop was held in between, by one of prepare's tasks or by the probe itself.
//   node --conditions=@burnrate/source packages/pricing/bench/prepare-tasks.ts <provider> <model>
// Prints one JSON line: { longestMs, totalMs }.
import { getDefaultPricer } from '@burnrate/pricing';

const [provider = 'openai', model = 'gpt-4o-mini'] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, 50)); // start-up done: the loop is idle

let done = false;
let last = 0;
let longest = 0;
const start = performance.now();
const probe = () => {
  const now = performance.now();
  if (last > 0 && now - last > longest) longest = now - last;
  last = now;
  if (!done) setImmediate(probe);
};
setImmediate(probe);
setImmediate(() => {
  const t = performance.now();
  const ready = getDefaultPricer().prepare?.(provider, model);
  if (performance.now() - t > longest) longest = performance.now() - t;
  void ready?.then(() => {
    done = true;
    console.log(
      JSON.stringify({ longestMs: longest, totalMs: performance.now() - start, provider }),
    );
  });
});
