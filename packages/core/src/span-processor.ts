import { type Attributes, type Context, trace } from '@opentelemetry/api';
import { isRunModelCall, type RunState } from './agent-run.ts';
import { type AttributionScope, attributionAttributesOf, attributionScope } from './attribution.ts';
import { isInsideBurnrateCall, isSuperseded } from './call-marker.ts';
import { costAttributes, tokenAttributes } from './cost.ts';
import { burnrateLogger, safely } from './fail-open.ts';
import { readForeignUsage } from './foreign-usage.ts';
import { type LabelCap, processLabelCap } from './label-cap.ts';
import {
  ATTR_BURNRATE_COST_SOURCE,
  ATTR_BURNRATE_RUN_COST_USD,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
} from './semconv.ts';
import { settlePendingTokenCounts } from './token-counter.ts';

/** The parts of an SDK span the processor reads and writes (structural: any SDK 2.x/3.x span). */
export interface ProcessedSpan {
  readonly name: string;
  readonly attributes: Attributes;
  setAttributes(attributes: Attributes): unknown;
}

export interface BurnrateSpanProcessorOptions {
  /** The label cap to apply (default: the process's, from `BURNRATE_MAX_*`; see label-cap.ts). */
  labelCap?: LabelCap;
}

/** What a span's start captured (the scope, the parent context and span). */
interface Started {
  readonly scope: AttributionScope | undefined;
  readonly context: Context;
  readonly inside: boolean;
  readonly parent: object | undefined;
  /**
   * A descendant was priced: the innermost span, closest to the billed request, keeps the cost.
   * A flag here rather than a WeakSet of spans (an insert per ancestor, and ephemeron work in
   * every garbage collection, for every agent run).
   */
  pricedBelow: boolean;
}

/**
 * Kept on the span itself under a symbol (cleared at its end), not in a WeakMap: this runs for
 * every span of the service, and a WeakMap entry per span costs a hash insert, a delete and
 * ephemeron work in every garbage collection. A span that cannot take the property uses the map.
 * The symbol is the processor's own, so two processors on one provider keep apart.
 */
type WithStarted = Record<symbol, Started | undefined>;

/**
 * Prices and attributes GenAI spans that other instrumentations make (a client SDK's built-in
 * tracing, OpenLLMetry, OpenInference, the Vercel AI SDK), through the same pricing function as
 * Burnrate's own spans. Skips spans Burnrate already priced and spans of a call Burnrate's own
 * instrumentation records, so no call is priced twice. Attribution is taken from the context the
 * span started in. Runs in `onEnding`, while the span can still be written. Also caps the
 * distinct values of the tenant, endpoint and team labels on every priced span.
 */
export class BurnrateSpanProcessor {
  readonly #labelCap: LabelCap | undefined;
  readonly #key = Symbol('BurnrateSpanProcessor start');
  readonly #startedFallback = new WeakMap<object, Started>();

  constructor(options: BurnrateSpanProcessorOptions = {}) {
    this.#labelCap = options.labelCap;
  }

  #started(span: object): Started | undefined {
    return (span as unknown as WithStarted)[this.#key] ?? this.#startedFallback.get(span);
  }

  onStart(span: ProcessedSpan, parentContext: Context): void {
    // Cheap captures only: this runs for every span of the service, GenAI or not (no closure).
    try {
      const scope = attributionScope();
      scope?.run?.spanStarted();
      const started: Started = {
        scope,
        context: parentContext,
        inside: isInsideBurnrateCall(parentContext),
        parent: trace.getSpan(parentContext),
        pricedBelow: false,
      };
      if (Object.isExtensible(span)) (span as unknown as WithStarted)[this.#key] = started;
      else this.#startedFallback.set(span, started);
    } catch (error) {
      burnrateLogger.warn(
        'span processor onStart failed; telemetry for this call may be incomplete',
        error,
      );
    }
  }

  /**
   * Prices a foreign GenAI span, then bounds the labels of every priced span (Burnrate's own and
   * others'): every span whose cost the Collector counts passes here, so this is where the cap on
   * distinct tenant, endpoint and team values is enforced (label-cap.ts).
   */
  onEnding(span: ProcessedSpan): void {
    // Every span of the service passes here: no closure per span.
    try {
      this.#price(span);
      const a = span.attributes;
      if (a[ATTR_BURNRATE_COST_SOURCE] === undefined) {
        // The run span (agent-run.ts) carries labels too, but no cost.
        if (a[ATTR_BURNRATE_RUN_COST_USD] !== undefined) this.#cap().apply(span);
        return;
      }
      this.#cap().apply(span);
      const run = this.#started(span)?.scope?.run;
      if (run && isRunModelCall(a)) recordRunCall(run, span);
    } catch (error) {
      burnrateLogger.warn(
        'span processor onEnding failed; telemetry for this call may be incomplete',
        error,
      );
    }
  }

  /**
   * Children end before their parents: when a priced span ends, mark its ancestors, so a wrapper
   * span around the same call (an AI SDK operation span, OpenLLMetry's or OpenInference's span
   * around a client SDK's own) is not priced a second time.
   */
  onEnd(span: { readonly attributes: Attributes }): void {
    try {
      const started = this.#started(span);
      if ((span as unknown as WithStarted)[this.#key] !== undefined)
        (span as unknown as WithStarted)[this.#key] = undefined;
      else this.#startedFallback.delete(span);
      started?.scope?.run?.spanEnded();
      if (span.attributes[ATTR_BURNRATE_COST_SOURCE] === undefined) return;
      // Ancestors still open (they end after their children) carry what their start captured.
      for (let p = started?.parent && this.#started(started.parent); p && !p.pricedBelow; ) {
        p.pricedBelow = true;
        p = p.parent && this.#started(p.parent);
      }
    } catch (error) {
      burnrateLogger.warn(
        'span processor onEnd failed; telemetry for this call may be incomplete',
        error,
      );
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Ends the spans still waiting for an off-thread token count (with the character estimate) at
   * once, so the exporting processor shutting down beside this one still gets them: a service
   * that shuts its SDK down right after a stream loses no span.
   */
  shutdown(): Promise<void> {
    safely('span processor shutdown', settlePendingTokenCounts);
    return Promise.resolve();
  }

  #cap(): LabelCap {
    return this.#labelCap ?? processLabelCap();
  }

  #price(span: ProcessedSpan): void {
    const attrs = span.attributes;
    if (attrs[ATTR_BURNRATE_COST_SOURCE] !== undefined) return;
    const started = this.#started(span);
    if (started?.inside || started?.pricedBelow || isSuperseded(span)) return;
    const usage = readForeignUsage(span.name, attrs);
    if (usage === undefined || usage === 'skip') return;
    const out: Attributes = started
      ? attributionAttributesOf(started.scope, started.context, attrs)
      : {};
    // Normalise to the current conventions so the Collector counts every span the same way.
    if (attrs[ATTR_GEN_AI_PROVIDER_NAME] === undefined)
      out[ATTR_GEN_AI_PROVIDER_NAME] = usage.provider;
    if (attrs[ATTR_GEN_AI_OPERATION_NAME] === undefined && usage.operation) {
      out[ATTR_GEN_AI_OPERATION_NAME] = usage.operation;
    }
    // The reader's counts follow the conventions (input includes cache tokens): write them over
    // the span's own when the instrumentation used another meaning or other names.
    Object.assign(out, tokenAttributes(usage.tokens));
    if (usage.requestModel && attrs[ATTR_GEN_AI_REQUEST_MODEL] === undefined) {
      out[ATTR_GEN_AI_REQUEST_MODEL] = usage.requestModel;
    }
    Object.assign(
      out,
      costAttributes({
        provider: usage.provider,
        requestModel: usage.requestModel,
        responseModel: usage.responseModel,
        tokens: usage.tokens,
        source: 'usage',
      }),
    );
    span.setAttributes(out);
  }
}

/**
 * Numbers a run's model call on its span. Apart from `onEnding`, which every span of the service
 * passes: its closure would give `onEnding` a context on every span.
 */
function recordRunCall(run: RunState, span: ProcessedSpan): void {
  run.recordCall(span.attributes, (x) => span.setAttributes(x));
}
