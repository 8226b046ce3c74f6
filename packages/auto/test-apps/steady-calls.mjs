// A service making priced calls at a steady rate until SIGTERM, then finishing gracefully (its
// last cost metrics are exported on the way out). Started with `node --import @burnrate/auto`.
// Prints {"calls": N, "failed": M} when it stops.
import OpenAI from 'openai';

const perSecond = Number(process.env.CALLS_PER_SECOND ?? 20);
const openai = new OpenAI({ maxRetries: 0 });
let calls = 0;
let failed = 0;
const pending = new Set();
const timer = setInterval(() => {
  const p = openai.chat.completions
    .create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Tell me a joke' }] })
    .then(
      () => calls++,
      () => failed++,
    )
    .finally(() => pending.delete(p));
  pending.add(p);
}, 1000 / perSecond);
process.once('SIGTERM', async () => {
  clearInterval(timer);
  await Promise.allSettled([...pending]);
  console.log(JSON.stringify({ calls, failed }));
});
