import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutContent } from './ai7-events.ts';
import { enableAiSdkTelemetry } from './index.ts';

/**
 * The stand-in's own work on ai 7 events, against a recording `@ai-sdk/otel` stand-in (a package
 * in a temporary directory): what reaches the delegate, the handlers ai reads at every call, and
 * the provider call passed through as it came when no budget gate is registered.
 */
type Hook = (event: unknown) => unknown;
interface Seen {
  key: string;
  event: Record<string, unknown>;
}
const g = globalThis as typeof globalThis & { __standInSeen?: Seen[] };
const REGISTRY = 'AI_SDK_TELEMETRY_INTEGRATIONS';

const DELEGATE = `
class OpenTelemetry {
  record(key, event) { globalThis.__standInSeen.push({ key, event }); }
  onLanguageModelCallStart(event) { this.record('onLanguageModelCallStart', event); }
  onStepEnd(event) { this.record('onStepEnd', event); }
  executeLanguageModelCall(event) { this.record('executeLanguageModelCall', event); return event.execute(); }
}
module.exports = { OpenTelemetry };
`;

let dir = '';
let saved: unknown[] | undefined;
let standIn: Record<string, unknown>;
const seen = (): Seen[] => g.__standInSeen ?? [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'burnrate-stand-in-'));
  const pkg = path.join(dir, 'node_modules', '@ai-sdk', 'otel');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), '{"name":"@ai-sdk/otel","main":"index.cjs"}');
  writeFileSync(path.join(pkg, 'index.cjs'), DELEGATE);
  saved = Reflect.get(globalThis, REGISTRY);
  Reflect.set(globalThis, REGISTRY, []);
  g.__standInSeen = [];
  enableAiSdkTelemetry({ resolveFrom: [dir] });
  standIn = (Reflect.get(globalThis, REGISTRY) as unknown[])[0] as Record<string, unknown>;
});

afterAll(() => {
  Reflect.set(globalThis, REGISTRY, saved);
  delete g.__standInSeen;
  rmSync(dir, { recursive: true, force: true });
});

/** An ai 7 event as ai hands it to an integration (its own copy, the telemetry fields added). */
function ai7Event(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { callId: 'c1', aiVersion: '7.0.0', recordInputs: undefined, ...fields };
}

describe('the stand-in on ai 7 events', () => {
  it('hands out one handler per hook across calls (ai reads them all at every call)', () => {
    const first = standIn.onLanguageModelCallStart;
    expect(typeof first).toBe('function');
    expect(standIn.onLanguageModelCallStart).toBe(first);
    expect(standIn.executeLanguageModelCall).toBe(standIn.executeLanguageModelCall);
  });

  it('passes the event itself on, prompts and outputs off, without reading its other fields', () => {
    seen().length = 0;
    let read = 0;
    const event = ai7Event();
    Object.defineProperty(event, 'messages', {
      enumerable: true,
      get: () => {
        read++;
        return [];
      },
    });
    (standIn.onLanguageModelCallStart as Hook)(event);
    expect(seen()).toHaveLength(1);
    expect(seen()[0].event).toBe(event);
    expect(event).toMatchObject({ recordInputs: false, recordOutputs: false });
    expect(read).toBe(0);
  });

  it('keeps prompts and outputs on when the call turned them on', () => {
    seen().length = 0;
    (standIn.onStepEnd as Hook)(ai7Event({ recordInputs: true, recordOutputs: true }));
    expect(seen()[0].event).toMatchObject({ recordInputs: true, recordOutputs: true });
  });

  it('with no budget gate, the provider call goes on as ai passed it', async () => {
    seen().length = 0;
    const execute = async () => 'result';
    const out = await (standIn.executeLanguageModelCall as Hook)(ai7Event({ execute }));
    expect(out).toBe('result');
    expect(seen()[0].event.execute).toBe(execute);
  });
});

describe('withoutContent', () => {
  it('sets the switches on the event it is given', () => {
    const event = ai7Event({ recordOutputs: 'yes' });
    expect(withoutContent(event)).toBe(event);
    expect(event).toMatchObject({ recordInputs: false, recordOutputs: false });
  });

  it('copies an event that cannot take them, and leaves it as it was', () => {
    const frozen = Object.freeze(ai7Event({ prompt: 'p' }));
    const out = withoutContent(frozen) as Record<string, unknown>;
    expect(out).not.toBe(frozen);
    expect(out).toMatchObject({ prompt: 'p', recordInputs: false, recordOutputs: false });
    expect(frozen.recordInputs).toBeUndefined();
    const fixed = ai7Event();
    Object.defineProperty(fixed, 'recordOutputs', { enumerable: true, get: () => undefined });
    expect(withoutContent(fixed)).toMatchObject({ recordInputs: false, recordOutputs: false });
  });

  it('leaves what is no ai 7 event alone', () => {
    const ai6 = { recordInputs: undefined };
    expect(withoutContent(ai6)).toBe(ai6);
    expect(ai6.recordInputs).toBeUndefined();
    expect(withoutContent(null)).toBeNull();
  });
});
