import { type CallSpan, countTextTokens, recordModelUsage } from '@burnrate/core';
import type { CallMeta } from './generate.ts';
import { asParams } from './request.ts';
import type { EmbedResponseLike } from './types.ts';

function texts(contents: unknown): string[] {
  const list = Array.isArray(contents) ? contents : [contents];
  const out: string[] = [];
  for (const c of list) {
    if (typeof c === 'string') out.push(c);
    else if (c && typeof c === 'object') {
      const parts = (c as { parts?: { text?: unknown }[] }).parts;
      const text = (c as { text?: unknown }).text;
      if (typeof text === 'string') out.push(text);
      for (const p of parts ?? []) if (typeof p?.text === 'string') out.push(p.text);
    }
  }
  return out;
}

/**
 * Reported input tokens of an embedding call: `usageMetadata.promptTokenCount` (Vertex AI's
 * embedContent endpoint) or the sum of per-embedding `statistics.tokenCount` (Vertex AI's predict
 * endpoint). The Gemini Developer API reports none: its input is counted locally (`estimated`).
 */
function reportedTokens(r: EmbedResponseLike | undefined): number | undefined {
  const prompt = r?.usageMetadata?.promptTokenCount;
  if (typeof prompt === 'number') return prompt;
  let sum = 0;
  let found = false;
  for (const e of r?.embeddings ?? []) {
    const n = e.statistics?.tokenCount;
    if (typeof n === 'number') {
      sum += n;
      found = true;
    }
  }
  return found ? sum : undefined;
}

export function onEmbedResult(call: CallSpan, value: unknown, meta: CallMeta): undefined {
  const r = (value ?? undefined) as EmbedResponseLike | undefined;
  const params = asParams(meta.params);
  const reported = reportedTokens(r);
  const input =
    reported ?? texts(params.contents).reduce((n, t) => n + countTextTokens(t, params.model), 0);
  recordModelUsage(call.span, {
    provider: meta.provider,
    requestModel: params.model,
    tokens: { input, output: 0 },
    source: reported === undefined ? 'estimated' : 'usage',
  });
  return undefined;
}
