import {
  combineDecisions,
  consultGates,
  type GateDecision,
  GEN_AI_PROVIDER,
  hasModelCallGates,
  modelCallRequest,
  startCallSpan,
} from '@burnrate/core';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { modelFamily } from './model-id.ts';
import type { CommandLike, Json } from './types.ts';

/** What the gates need to know of a call, from the instrumentation's reading of its command. */
export interface GateInput {
  converse: boolean;
  operation: string;
  modelId: string;
  /** The parsed native body of an InvokeModel call (undefined for Converse, or a body too large). */
  request: Json | undefined;
  /** A Converse call's input (messages), for the loop fingerprint. */
  converseInput?: unknown;
  maxTokens: number | undefined;
  estimateInputTokens(): number;
  name: string;
  attributes: Attributes;
}

export interface Gated {
  /** The command to send: the caller's, or a new one with a changed copy of its input. */
  command: CommandLike;
  decisions: readonly GateDecision[];
  blocked?: Error;
  attributes: Attributes;
}

/** Output caps of each family's native body, top level and nested. */
const CAP_FIELDS = ['max_tokens', 'max_tokens_to_sample', 'maxTokens', 'max_gen_len'] as const;
const NESTED_CAPS = [
  ['textGenerationConfig', 'maxTokenCount'],
  ['inferenceConfig', 'max_new_tokens'],
  ['inferenceConfig', 'maxTokens'],
] as const;

/**
 * Consults the budget gates before a Bedrock call leaves. A block becomes a span with the error
 * (nothing is sent); a degrade sends a new command with a changed copy of the caller's input: the
 * output cap (Converse `inferenceConfig.maxTokens`, or the native body's own cap field) and the
 * model (for InvokeModel only within the same family, whose body format it shares).
 */
export function gateBedrockCall(
  tracer: Tracer,
  command: CommandLike,
  g: GateInput,
): Gated | undefined {
  if (!hasModelCallGates()) return undefined;
  const decisions = consultGates(
    modelCallRequest({
      provider: GEN_AI_PROVIDER.AWS_BEDROCK,
      operation: g.operation,
      model: g.modelId,
      maxOutputTokens: g.maxTokens,
      estimateInputTokens: g.estimateInputTokens,
      request: g.request ?? g.converseInput,
    }),
  );
  if (!decisions.length) return undefined;
  const combined = combineDecisions(decisions);
  const attributes = combined.attributes;
  if (combined.block) {
    startCallSpan({
      tracer,
      name: g.name,
      attributes: { ...g.attributes, ...attributes },
      decisions,
    }).end(combined.block);
    return { command, decisions, blocked: combined.block, attributes };
  }
  const input = command.input ?? {};
  let changed: Record<string, unknown> | undefined;
  const cap = combined.maxOutputTokens;
  if (g.converse) {
    if (combined.model || cap !== undefined) {
      changed = { ...input };
      if (combined.model) changed.modelId = combined.model;
      if (cap !== undefined)
        changed.inferenceConfig = {
          ...(input.inferenceConfig as Json | undefined),
          maxTokens: cap,
        };
    }
  } else if (g.request) {
    const body: Json = { ...g.request };
    const capped = cap !== undefined && setCap(body, cap, g.modelId);
    const model =
      combined.model && modelFamily(combined.model) === modelFamily(g.modelId)
        ? combined.model
        : undefined;
    if (capped || model)
      changed = { ...input, body: JSON.stringify(body), ...(model ? { modelId: model } : {}) };
  }
  if (!changed) return { command, decisions, attributes };
  const Command = command.constructor as unknown as new (input: unknown) => CommandLike;
  return { command: new Command(changed), decisions, attributes };
}

function setCap(body: Json, cap: number, modelId: string): boolean {
  for (const f of CAP_FIELDS) {
    if (typeof body[f] === 'number') {
      body[f] = Math.min(body[f] as number, cap);
      return true;
    }
  }
  for (const [outer, inner] of NESTED_CAPS) {
    const o = body[outer] as Json | undefined;
    if (o && typeof o === 'object' && typeof o[inner] === 'number') {
      body[outer] = { ...o, [inner]: Math.min(o[inner] as number, cap) };
      return true;
    }
  }
  // Claude's Messages body requires max_tokens; other families' defaults are not ours to guess.
  if (modelFamily(modelId) === 'anthropic') {
    body.max_tokens = cap;
    return true;
  }
  return false;
}
