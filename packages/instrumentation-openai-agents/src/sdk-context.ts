import type { AgentFacts } from '@burnrate/core';
import {
  type AgentsCoreLike,
  type ModelRequestLike,
  type RunnerLike,
  type RunOptionsLike,
  type SdkSpanLike,
  str,
} from './types.ts';

/**
 * What the Agents SDK itself knows about the work in progress, read from its own tracing context
 * (`getCurrentSpan()` / `getCurrentTrace()`) and from what the runner hands the model. The SDK keeps
 * that context whether or not tracing is on: with `OPENAI_AGENTS_DISABLE_TRACING=1` (or a runner's
 * `tracingDisabled`) its spans are `NoopSpan`s that still carry their data (the agent span's
 * `name`, the turn span's `agent_name`) and are still made current.
 */

/** How far back the chain of current spans is followed (agent spans are a few levels up). */
const MAX_DEPTH = 32;

/** The agent of the innermost agent (or turn) span in the chain of current spans. */
export function agentOfSpan(span: SdkSpanLike | null | undefined): string | undefined {
  let s: SdkSpanLike | undefined = span ?? undefined;
  for (let depth = 0; s && depth < MAX_DEPTH; depth++, s = s.previousSpan) {
    const data = s.spanData;
    if (data?.type === 'agent') {
      const name = str(data.name);
      if (name) return name;
    }
    if (data?.type === 'turn') {
      const name = str(data.agent_name);
      if (name) return name;
    }
  }
  return undefined;
}

/** The agent the SDK is running now (after a handoff: the agent handed to). */
export function currentSdkAgent(sdk: AgentsCoreLike): string | undefined {
  return agentOfSpan(sdk.getCurrentSpan?.());
}

/**
 * The facts of one model call: the agent making it (the runner passes the agent's or turn's span
 * as the request's tracing parent; else the current span), and the conversation: the server-side
 * conversation (`conversationId`), else the trace's `groupId` (the SDK's "conversation or thread"
 * grouping).
 */
export function modelCallFacts(sdk: AgentsCoreLike, request: unknown): AgentFacts {
  const r = (typeof request === 'object' && request !== null ? request : {}) as ModelRequestLike;
  const facts: AgentFacts = {};
  const agent = agentOfSpan(r._internal?.tracingParent) ?? currentSdkAgent(sdk);
  if (agent) facts.agent = agent;
  const conversation = str(r.conversationId) ?? str(sdk.getCurrentTrace?.()?.groupId);
  if (conversation) facts.conversation = conversation;
  return facts;
}

/**
 * The facts of a run: the starting agent, the conversation (`conversationId`, else the runner's
 * `groupId`) and the session (a `MemorySession`'s `sessionId`; sessions that only expose the async
 * `getSessionId()` are not asked, as that may create a server-side conversation).
 */
export function runFacts(runner: RunnerLike, agent: unknown, options: unknown): AgentFacts {
  const o = (typeof options === 'object' && options !== null ? options : {}) as RunOptionsLike;
  const facts: AgentFacts = {};
  const name = str((agent as { name?: unknown } | undefined)?.name);
  if (name) facts.agent = name;
  const conversation = str(o.conversationId) ?? str(runner.config?.groupId);
  if (conversation) facts.conversation = conversation;
  const session = str(o.session?.sessionId);
  if (session) facts.session = session;
  return facts;
}
