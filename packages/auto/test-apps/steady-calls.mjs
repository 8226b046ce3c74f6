// A service making priced calls at a steady rate until SIGTERM, then finishing gracefully (its
// last cost metrics are exported on the way out). Started with `node --import @burnrate/auto`.
// With REFUSE_EVERY=N, every Nth call is made in a budget too small for it (`withBudget`), which
// refuses it before any request. Prints {"calls": N, "failed": M, "refused": R} when it stops.
import OpenAI from 'openai';

const perSecond = Number(process.env.CALLS_PER_SECOND ?? 20);
const refuseEvery = Number(process.env.REFUSE_EVERY ?? 0);
const budget = refuseEvery > 0 ? await import('@burnrate/budget') : undefined;
const openai = new OpenAI({ maxRetries: 0 });
let calls = 0;
let failed = 0;
let refused = 0;
let n = 0;
const pending = new Set();
const call = () =>
  openai.chat.completions.create({
    model: 'gpt-3.5-turbo',
    messages: [{ role: 'user', content: 'Tell me a joke' }],
  });
const timer = setInterval(() => {
  n++;
  const p = (
    budget && n % refuseEvery === 0
      ? budget.withBudget({ name: 'ledger-refused', maxUsd: 0.000001 }, call).then(
          () => failed++, // a refusal was expected
          (e) => (e instanceof budget.BudgetExceededError ? refused++ : failed++),
        )
      : call().then(
          () => calls++,
          () => failed++,
        )
  ).finally(() => pending.delete(p));
  pending.add(p);
}, 1000 / perSecond);
process.once('SIGTERM', async () => {
  clearInterval(timer);
  await Promise.allSettled([...pending]);
  console.log(JSON.stringify({ calls, failed, refused }));
});
