// Calls under TENANTS different tenants, and one stream the app never reads (label-cap and
// abandoned-stream tests of the one import).
import '@burnrate/auto';
import { withAttribution } from '@burnrate/auto';
import OpenAI from 'openai';

const openai = new OpenAI({ maxRetries: 0 });
const messages = [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }];
const tenants = Number(process.env.TENANTS ?? 3);
for (let i = 0; i < tenants; i++) {
  await withAttribution({ tenant: `tenant-${i}`, endpoint: '/jokes' }, () =>
    openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages }),
  );
}
await withAttribution({ tenant: 'tenant-0', endpoint: '/unread' }, () =>
  openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages, stream: true }),
);
console.log(JSON.stringify({ calls: tenants + 1 }));
