import {
  type AgentRun,
  ConfigError,
  type ModelCallRequest,
  withAgentRun,
  withFrameworkAgent,
} from '@burnrate/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { breakerGate, removeBreaker } from './breaker.ts';
import {
  BudgetConfigError,
  type BudgetExceededError,
  breakerOptionsFromEnv,
  configureBreaker,
  startBreakerFromEnv,
  withBudget,
} from './index.ts';
import { MESSAGES, serveChat, useHarness } from './test-setup.ts';

const h = useHarness();

afterEach(() => removeBreaker());

const ask = (content = MESSAGES[0].content) =>
  h.openai().chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    max_tokens: 100,
  });

/** Distinct calls until one is refused: how many went and the error. */
async function calls(n = 20) {
  for (let i = 0; i < n; i++) {
    try {
      await ask(`call ${i}`);
    } catch (error) {
      return { done: i, error: error as BudgetExceededError };
    }
  }
  return { done: n, error: undefined };
}

describe('breaker: per agent and per run', () => {
  it('a call gets defaults, then its run agent’s, then its own agent’s, then withBudget’s', async () => {
    configureBreaker({
      maxCallsPerRun: 5,
      agents: { planner: { maxCallsPerRun: 2 }, writer: { maxCallsPerRun: 3, mode: 'record' } },
    });
    serveChat(h.replay, 40);
    const planner = await withAgentRun({ agent: 'planner' }, () => calls());
    expect(planner.done).toBe(2);
    expect(planner.error?.message).toContain(
      'maxCallsPerRun is set by configureBreaker({ agents: { "planner": { maxCallsPerRun } } })',
    );
    const other = await withAgentRun({ agent: 'other' }, () => calls());
    expect(other.done).toBe(5);
    // A sub-agent inside the planner's run: its own limits win (and only mark, in record mode).
    const writer = await withAgentRun({ agent: 'planner' }, () =>
      withFrameworkAgent({ agent: 'writer' }, () => calls(5)),
    );
    expect(writer.done).toBe(5);
    const marked = h.tracing.calls().slice(-5);
    expect(marked.map((s) => s.attributes['burnrate.breaker.value'])).toEqual([
      undefined,
      undefined,
      undefined,
      4,
      5,
    ]);
    expect(marked[3].attributes['burnrate.breaker.mode']).toBe('record');
    expect(marked[3].attributes['gen_ai.agent.name']).toBe('writer');
    const scoped = await withBudget({ agent: 'planner', breaker: { maxCallsPerRun: 4 } }, () =>
      calls(),
    );
    expect(scoped.done).toBe(4);
    expect(scoped.error?.agent).toBe('planner');
    expect(scoped.error?.message).toContain(
      'maxCallsPerRun is set by withBudget({ breaker: { maxCallsPerRun } })',
    );
  });

  it('nested withBudget scopes join the run; the inner settings win field by field', async () => {
    serveChat(h.replay, 10);
    const r = await withBudget({ breaker: { maxCallsPerRun: 6, mode: 'record' } }, async () => {
      await ask('outer');
      return withBudget({ breaker: { maxCallsPerRun: 3 } }, () => calls(9));
    });
    // The run counts the outer call too; mode record comes from the outer scope.
    expect(r.done).toBe(9);
    const values = h.tracing.calls().map((s) => s.attributes['burnrate.breaker.value']);
    expect(values.slice(0, 4)).toEqual([undefined, undefined, undefined, 4]);
  });
});

describe('breaker: configuration', () => {
  it('bad options throw one BudgetConfigError naming the field', () => {
    const bad: [() => unknown, string][] = [
      [
        () => configureBreaker({ maxRepeats: 0 }),
        'configureBreaker: maxRepeats: expected a positive whole number of times the same request may be sent (at most 100000), got 0',
      ],
      [
        () => configureBreaker({ agents: { planner: { mode: 'warn' as 'record' } } }),
        'configureBreaker: agents["planner"].mode: expected "enforce" or "record", got "warn"',
      ],
      [
        () => configureBreaker({ maxCalls: 3 } as never),
        'configureBreaker: maxCalls: unknown option (expected maxCallsPerRun, maxUsdPerMinute, maxRepeats, mode, agents)',
      ],
      [
        () => withBudget({ breaker: { maxUsdPerMinute: -1 } }, () => 0),
        'withBudget: breaker.maxUsdPerMinute: expected a positive number of dollars per minute (at most 9000000), got -1',
      ],
    ];
    for (const [fn, message] of bad) {
      expect(fn).toThrow(BudgetConfigError);
      expect(fn).toThrow(message);
    }
  });

  it('reads the environment, per agent entries included', () => {
    expect(breakerOptionsFromEnv({})).toBeUndefined();
    expect(
      breakerOptionsFromEnv({
        BURNRATE_BREAKER_MAX_CALLS: '40',
        BURNRATE_BREAKER_MAX_USD_PER_MINUTE: '0.75',
        BURNRATE_BREAKER_MAX_REPEATS: ' 4 ',
        BURNRATE_BREAKER_MODE: 'Record',
        BURNRATE_BREAKER_AGENTS:
          'planner:maxCalls=20,maxRepeats=3; Research Agent:maxUsdPerMinute=.5,mode=enforce;',
      }),
    ).toEqual({
      maxCallsPerRun: 40,
      maxUsdPerMinute: 0.75,
      maxRepeats: 4,
      mode: 'record',
      agents: {
        planner: { maxCallsPerRun: 20, maxRepeats: 3 },
        'Research Agent': { maxUsdPerMinute: 0.5, mode: 'enforce' },
      },
    });
  });

  it('a bad variable throws a ConfigError naming it, or is reported and ignored', () => {
    const cases: [string, string, string][] = [
      ['BURNRATE_BREAKER_MAX_CALLS', '2.5', 'expected a positive whole number of model calls'],
      ['BURNRATE_BREAKER_MAX_USD_PER_MINUTE', '$1', 'expected a positive number of dollars'],
      ['BURNRATE_BREAKER_MAX_REPEATS', '0', 'expected a positive whole number of times'],
      ['BURNRATE_BREAKER_MODE', 'block', 'expected enforce or record, got "block"'],
      ['BURNRATE_BREAKER_AGENTS', 'planner:maxCals=3', 'unknown'],
      ['BURNRATE_BREAKER_AGENTS', 'maxCalls=3', 'expected an agent name'],
      ['BURNRATE_BREAKER_AGENTS', 'planner:maxRepeats=-1', 'maxRepeats: expected a positive'],
    ];
    for (const [variable, value, problem] of cases) {
      const env = { [variable]: value };
      const thrown = (() => {
        try {
          breakerOptionsFromEnv(env);
        } catch (e) {
          return e;
        }
      })() as ConfigError;
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown.variable).toBe(variable);
      expect(thrown.message.startsWith(`${variable}: `)).toBe(true);
      if (problem !== 'unknown') expect(thrown.message).toContain(problem);
      const reported: string[] = [];
      breakerOptionsFromEnv(env, (m) => reported.push(m));
      expect(reported).toHaveLength(1);
      expect(reported[0].startsWith(`${variable}: `)).toBe(true);
    }
  });

  it('startBreakerFromEnv never throws: bad values are reported, the good ones apply', async () => {
    const reported: string[] = [];
    const on = startBreakerFromEnv(
      {
        BURNRATE_BREAKER_MAX_REPEATS: '2',
        BURNRATE_BREAKER_MAX_CALLS: 'lots',
        BURNRATE_BREAKER_AGENTS: 'planner:maxCals=3;writer:maxRepeats=1',
      },
      (m) => reported.push(m),
    );
    expect(on).toBe(true);
    expect(reported).toHaveLength(2);
    expect(reported[0]).toMatch(/^BURNRATE_BREAKER_MAX_CALLS: .*"lots"; ignored$/);
    expect(reported[1]).toMatch(/^BURNRATE_BREAKER_AGENTS: entry "planner:maxCals=3": /);
    serveChat(h.replay, 5);
    const loop = async () => {
      for (let i = 0; ; i++) {
        try {
          await ask();
        } catch (error) {
          return { done: i, error: error as BudgetExceededError };
        }
      }
    };
    const planner = await withAgentRun({ agent: 'planner' }, loop);
    expect(planner.done).toBe(2);
    expect(planner.error.message).toContain('maxRepeats is set by BURNRATE_BREAKER_MAX_REPEATS');
    const writer = await withAgentRun({ agent: 'writer' }, loop);
    expect(writer.done).toBe(1);
    expect(writer.error.message).toContain(
      'maxRepeats is set by BURNRATE_BREAKER_AGENTS (writer:maxRepeats=…)',
    );
    expect(startBreakerFromEnv({ BURNRATE_BREAKER_MODE: 'record' }, () => {})).toBe(false);
  });
});

describe('breaker: no work where it does not apply', () => {
  const run: AgentRun = {
    id: 'r-1',
    agent: 'a',
    startedAt: 0,
    calls: 0,
    costUsd: 0,
    ended: false,
  };
  const request = (inRun: AgentRun | undefined) => {
    const fingerprint = vi.fn(() => 'same');
    const req: ModelCallRequest = {
      provider: 'openai',
      operation: 'chat',
      model: 'gpt-4o-mini',
      maxOutputTokens: 10,
      estimateInputTokens: vi.fn(() => 10),
      attribution: {},
      agent: { agent: 'a' },
      run: inRun,
      fingerprint,
    };
    return { req, fingerprint };
  };

  it('outside a run, or with no breaker configured, the gate returns at once', () => {
    const off = request(run);
    expect(breakerGate(off.req)).toBeUndefined();
    configureBreaker({ maxRepeats: 1, maxCallsPerRun: 1, maxUsdPerMinute: 0.000001 });
    const outside = request(undefined);
    for (let i = 0; i < 3; i++) expect(breakerGate(outside.req)).toBeUndefined();
    expect(outside.fingerprint).not.toHaveBeenCalled();
    expect(outside.req.estimateInputTokens).not.toHaveBeenCalled();
    // In a run without maxRepeats, no fingerprint is computed either.
    configureBreaker({ maxCallsPerRun: 1 });
    const inRun = request(run);
    expect(breakerGate(inRun.req)?.block).toBeUndefined();
    expect(breakerGate(inRun.req)?.block?.message).toContain('maxCallsPerRun 1');
    expect(inRun.fingerprint).not.toHaveBeenCalled();
    expect(off.fingerprint).not.toHaveBeenCalled();
  });

  it('real calls outside any run are never counted or marked', async () => {
    configureBreaker({ maxRepeats: 1, maxCallsPerRun: 1 });
    serveChat(h.replay, 5);
    for (let i = 0; i < 5; i++) await ask();
    expect(h.replay.requests).toHaveLength(5);
    const spans = h.tracing.calls();
    expect(spans.every((s) => s.attributes['burnrate.breaker.kind'] === undefined)).toBe(true);
    expect(spans.every((s) => s.status.code === 0)).toBe(true);
  });
});
