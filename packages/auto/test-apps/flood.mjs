// A label flood through the one import: CALLS priced calls, each under its own tenant and its own
// endpoint (CONCURRENCY at a time), then a graceful exit. Prints {"calls": N}.
import '@burnrate/auto';
import { withAttribution } from '@burnrate/auto';
import OpenAI from 'openai';

const openai = new OpenAI({ maxRetries: 0 });
const messages = [{ role: 'user', content: 'Tell me a joke' }];
const total = Number(process.env.CALLS ?? 20000);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
let next = 0;
let calls = 0;
async function worker() {
  while (next < total) {
    const i = next++;
    await withAttribution({ tenant: `tenant-${i}`, endpoint: `/api/v${i}/jokes` }, () =>
      openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages }),
    );
    calls++;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ calls }));
