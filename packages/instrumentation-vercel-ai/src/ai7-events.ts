/**
 * What the stand-in (auto-telemetry.ts) reads of the events ai 7 sends its telemetry
 * integrations, and the one change it makes to them before `@ai-sdk/otel` sees them.
 */
export function executeOf(arg: unknown): (() => PromiseLike<unknown>) | undefined {
  const execute = (arg as { execute?: unknown } | null)?.execute;
  return typeof execute === 'function' ? (execute as () => PromiseLike<unknown>) : undefined;
}

export function hasAiVersion(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && 'aiVersion' in arg;
}

/**
 * ai 7 stamps every event with `aiVersion`; its other calls pass an error (`onError`) or an
 * `execute` wrapper argument. ai 6 events have none of these.
 */
export function fromAi7(arg: unknown): boolean {
  if (arg instanceof Error) return true;
  if (typeof arg !== 'object' || arg === null) return false;
  const e = arg as { aiVersion?: unknown; execute?: unknown };
  if (typeof e.aiVersion === 'string') return e.aiVersion.startsWith('7.');
  return typeof e.execute === 'function';
}

interface ContentSwitches {
  recordInputs?: unknown;
  recordOutputs?: unknown;
}

/**
 * The event with prompts and outputs off, unless the call itself turned them on. ai 7 hands each
 * integration its own copy of an event (its telemetry fields added, content filtered), which
 * nothing else reads: the two switches are set on it. Copying it instead would read every
 * property (some of ai's copies are dictionary-mode objects: about 10 µs each). An event that does
 * not take them (frozen, or an accessor) is copied as before.
 */
export function withoutContent(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || !('aiVersion' in arg)) return arg;
  const e = arg as ContentSwitches;
  const recordInputs = e.recordInputs === true;
  const recordOutputs = e.recordOutputs === true;
  try {
    if (e.recordInputs !== recordInputs) e.recordInputs = recordInputs;
    if (e.recordOutputs !== recordOutputs) e.recordOutputs = recordOutputs;
    if (e.recordInputs === recordInputs && e.recordOutputs === recordOutputs) return arg;
  } catch {
    // not writable: copied below
  }
  return Object.assign(Object.create(Object.getPrototypeOf(arg)), arg, {
    recordInputs,
    recordOutputs,
  });
}
