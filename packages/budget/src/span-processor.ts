import { burnrateLogger } from '@burnrate/core';
import type { Attributes, Context } from '@opentelemetry/api';
import { ATTR_GEN_AI_AGENT_NAME, ATTR_SESSION_ID } from './attributes.ts';
import { currentFrame } from './frames.ts';

interface StartedSpan {
  readonly attributes: Attributes;
  setAttributes(attributes: Attributes): unknown;
}

/**
 * Puts `session.id` and `gen_ai.agent.name` from the `withBudget` scope on EVERY span started
 * inside it (HTTP, database and other instrumentations' spans too, not only model calls). Add it
 * to the tracer provider's span processors (`@burnrate/auto` does). A span's own values win.
 */
export class BudgetSpanProcessor {
  onStart(span: StartedSpan, _parentContext: Context): void {
    // Every span of the service passes here: no closure, and nothing more outside a budget scope.
    try {
      const frame = currentFrame();
      if (!frame) return;
      const attrs: Attributes = {};
      if (frame.session && span.attributes[ATTR_SESSION_ID] === undefined) {
        attrs[ATTR_SESSION_ID] = frame.session;
      }
      if (frame.agent && span.attributes[ATTR_GEN_AI_AGENT_NAME] === undefined) {
        attrs[ATTR_GEN_AI_AGENT_NAME] = frame.agent;
      }
      span.setAttributes(attrs);
    } catch (error) {
      burnrateLogger.warn('budget span processor failed', error);
    }
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
