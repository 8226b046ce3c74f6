import { getDefaultPricer } from '@burnrate/pricing';
const p = getDefaultPricer();
const t = { input: 1_000_000, output: 1_000_000 };
const cases: [string, string][] = [
  ['anthropic', 'claude-3-opus-20240229'], ['anthropic', 'claude-opus-4-1-20250805'], ['anthropic','claude-sonnet-4-5-20250929'], ['anthropic','claude-3-5-haiku-20241022'],['anthropic','claude-haiku-4-5'],
  ['aws.bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0'], ['aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['aws.bedrock', 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'], ['aws.bedrock', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'], ['aws.bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],['aws.bedrock', 'anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ['aws.bedrock', 'anthropic.claude-v2'], ['aws.bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2:0'], ['aws.bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2-0'],
  ['aws.bedrock', 'amazon.titan-text-express-v1'], ['aws.bedrock', 'meta.llama2-13b-chat-v1'], ['aws.bedrock', 'meta.llama3-1-70b-instruct-v1:0'], ['aws.bedrock', 'us.meta.llama3-2-11b-instruct-v1:0'],
  ['aws.bedrock', 'cohere.command-text-v14'], ['aws.bedrock', 'cohere.command-r-plus-v1:0'], ['aws.bedrock', 'ai21.j2-ultra-v1'], ['aws.bedrock', 'ai21.jamba-1-5-large-v1:0'],
  ['aws.bedrock', 'mistral.mistral-large-2402-v1:0'], ['aws.bedrock', 'mistral.mistral-7b-instruct-v0:2'], ['aws.bedrock', 'amazon.nova-pro-v1:0'], ['aws.bedrock', 'us.amazon.nova-lite-v1:0'], ['aws.bedrock','amazon.titan-embed-text-v2:0'],
];
for (const [prov, m] of cases) {
  const c = p.priceModelCall({ provider: prov, model: m, tokens: t });
  const u = p.unitPrices(prov, m);
  console.log(prov.padEnd(12), m.padEnd(50), c ? `in ${c.inputUsd} out ${c.outputUsd} via ${c.pricingProvider}/${c.pricingModel}` : 'UNPRICED', u ? `cr ${u.cacheReadPerToken! * 1e6} cw ${u.cacheWritePerToken! * 1e6}` : '');
}
const c1 = p.priceModelCall({ provider: 'anthropic', model: 'claude-sonnet-4-5-20250929', tokens: { input: 3_000_000, output: 0, cacheRead: 1_000_000, cacheWrite: 1_000_000, cacheWrite1h: 1_000_000 } });
console.log('cache mix', c1);
