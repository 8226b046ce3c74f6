import { contentText, countTextTokens, requestParameterAttributes } from '@burnrate/core';
import type { Attributes } from '@opentelemetry/api';
import type { ContentLike, GenerateParamsLike, GenerateResponseLike } from './types.ts';

export function asParams(params: unknown): GenerateParamsLike {
  return typeof params === 'object' && params !== null ? (params as GenerateParamsLike) : {};
}

/** Request attributes, written into `attrs`. Never prompt text. */
export function requestAttributes(params: unknown, attrs: Attributes = {}): Attributes {
  const p = asParams(params);
  return requestParameterAttributes(
    attrs,
    p.model,
    p.config?.maxOutputTokens,
    p.config?.temperature,
  );
}

/** Text of `contents` in any form the SDK accepts (string, parts, contents, lists of them). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (typeof value !== 'object' || value === null) return '';
  const v = value as ContentLike & { text?: unknown };
  if (typeof v.text === 'string') return v.text;
  if (Array.isArray(v.parts)) return contentText(v.parts);
  return '';
}

/** Local estimate of the prompt, for a response without usage (marked `estimated`). */
export function promptTokens(params: unknown): number {
  const p = asParams(params);
  return countTextTokens(`${textOf(p.config?.systemInstruction)}${textOf(p.contents)}`, p.model);
}

/** Text of a response's candidates (thoughts excluded: they are not returned as text). */
export function responseText(r: GenerateResponseLike | undefined): string {
  let text = '';
  for (const c of r?.candidates ?? []) {
    for (const part of c.content?.parts ?? [])
      if (typeof part.text === 'string' && !part.thought) text += part.text;
  }
  return text;
}
