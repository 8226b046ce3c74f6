import {
  ATTR_BURNRATE_COST_USD,
  combineDecisions,
  consultGates,
  costAttributes,
  type GateDecision,
  hasModelCallGates,
  modelCallRequest,
  safely,
  type TokenCounts,
} from '@burnrate/core';
import { trace } from '@opentelemetry/api';
import { resolveModel } from './provider.ts';

/**
 * Budget gates (withBudget, the evaluator's gates, the runaway-agent breaker) for AI SDK calls,
 * which reach the provider through the AI SDK's own fetch, not a client SDK Burnrate patches.
 * ai 7 runs every provider call (`doGenerate` / `doStream`) through the telemetry integrations'
 * `executeLanguageModelCall`: the stand-in asks the gates there, before the request leaves. A
 * refusal throws the gate's error through `generateText` / `streamText` (no request is sent; the
 * AI SDK's own `chat` span records the error and `burnrate.*` gate attributes); a call that goes
 * ahead settles with its actual cost, read from the provider result's usage (a stream's `finish`
 * part). A degrade (lower output cap, cheaper model) cannot be applied at this point: the call
 * goes ahead unchanged and is settled at its actual cost.
 */
interface ModelCallEvent {
  provider?: unknown;
  modelId?: unknown;
  messages?: unknown;
  maxOutputTokens?: unknown;
}

interface UsageLike {
  inputTokens?: number | { total?: number; cacheRead?: number; cacheWrite?: number };
  outputTokens?: number | { total?: number; reasoning?: number };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Tokens of a provider result's usage (LanguageModelV3/V4 `{ total, … }`, or older numbers). */
export function tokensOf(usage: UsageLike | undefined): TokenCounts | undefined {
  if (!usage) return undefined;
  const i = usage.inputTokens;
  const o = usage.outputTokens;
  const input = typeof i === 'object' ? num(i?.total) : num(i);
  const output = typeof o === 'object' ? num(o?.total) : num(o);
  if (input === undefined && output === undefined) return undefined;
  const tokens: TokenCounts = { input: input ?? 0, output: output ?? 0 };
  if (typeof i === 'object' && num(i?.cacheRead)) tokens.cacheRead = i?.cacheRead;
  if (typeof i === 'object' && num(i?.cacheWrite)) tokens.cacheWrite = i?.cacheWrite;
  if (typeof o === 'object' && num(o?.reasoning)) tokens.reasoning = o?.reasoning;
  return tokens;
}

/** `execute` with the gates asked first; runs as is when no gate is registered. */
export function gatedExecute<T>(arg: unknown, execute: () => PromiseLike<T>): () => Promise<T> {
  return async () => {
    if (!hasModelCallGates()) return execute();
    const e = (typeof arg === 'object' && arg !== null ? arg : {}) as ModelCallEvent;
    const aiProvider = typeof e.provider === 'string' ? e.provider : 'unknown';
    const { provider, model } = resolveModel(
      aiProvider,
      typeof e.modelId === 'string' ? e.modelId : undefined,
    );
    const decisions = safely('asking the budget gates', () =>
      consultGates(
        modelCallRequest({
          provider,
          operation: 'chat',
          model,
          maxOutputTokens: num(e.maxOutputTokens),
          estimateInputTokens: () => Math.ceil((safeJson(e.messages)?.length ?? 0) / 4),
          request: { messages: e.messages },
        }),
      ),
    );
    if (!decisions?.length) return execute();
    const combined = combineDecisions(decisions);
    safely('marking the call span', () =>
      trace.getActiveSpan()?.setAttributes(combined.attributes),
    );
    if (combined.block) {
      release(decisions);
      throw combined.block;
    }
    let result: T;
    try {
      result = await execute();
    } catch (error) {
      release(decisions);
      throw error;
    }
    const settle = (usage: UsageLike | undefined) =>
      settleAll(decisions, aiProvider, model, tokensOf(usage));
    return (safely('settling the budget', () => settled(result, settle)) ?? result) as T;
  };
}

function safeJson(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** Settles a generate result now, a stream result at its `finish` part. */
function settled<T>(result: T, settle: (usage: UsageLike | undefined) => void): T {
  const r = result as { usage?: UsageLike; stream?: unknown };
  const stream = r?.stream;
  if (!(stream instanceof ReadableStream)) {
    settle(r?.usage);
    return result;
  }
  let done = false;
  const once = (usage: UsageLike | undefined) => {
    if (done) return;
    done = true;
    settle(usage);
  };
  const watched = stream.pipeThrough(
    new TransformStream<unknown, unknown>({
      transform(part, controller) {
        const p = part as { type?: unknown; usage?: UsageLike };
        if (p?.type === 'finish') once(p.usage);
        controller.enqueue(part);
      },
      flush() {
        once(undefined);
      },
    }),
  );
  return { ...r, stream: watched } as T;
}

function settleAll(
  decisions: readonly GateDecision[],
  aiProvider: string,
  model: string | undefined,
  tokens: TokenCounts | undefined,
): void {
  const { provider } = resolveModel(aiProvider, model);
  const usd = tokens
    ? costAttributes({ provider, requestModel: model, tokens, source: 'usage' })[
        ATTR_BURNRATE_COST_USD
      ]
    : undefined;
  for (const d of decisions) {
    safely('settling budget', () =>
      d.settle?.({ usd: typeof usd === 'number' ? usd : undefined, tokens }),
    );
  }
}

function release(decisions: readonly GateDecision[]): void {
  for (const d of decisions) safely('releasing budget', () => d.release?.());
}
