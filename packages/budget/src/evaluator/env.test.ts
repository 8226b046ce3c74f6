import { ConfigError } from '@burnrate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { budgetGate, removeBudgetGate } from '../gate.ts';
import { budgetGatesOptionsFromEnv, startBudgetGatesFromEnv } from './env.ts';
import { resourceLabels } from './labels.ts';
import { parseStatus } from './status.ts';

afterEach(() => removeBudgetGate());

function problem(env: Record<string, string>): string {
  try {
    budgetGatesOptionsFromEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

const URL_ = { BURNRATE_EVALUATOR_URL: 'http://127.0.0.1:9464' };

describe('startBudgetGatesFromEnv', () => {
  it('does nothing without BURNRATE_EVALUATOR_URL', () => {
    const stop = startBudgetGatesFromEnv({});
    const req = {
      provider: 'openai',
      operation: 'chat',
      model: 'gpt-4o',
      maxOutputTokens: 5,
      estimateInputTokens: () => 1,
      attribution: {},
      agent: {},
      run: undefined,
      fingerprint: () => '',
    };
    expect(budgetGate(req)).toBeUndefined();
    stop();
  });

  it('reads every setting, with defaults', () => {
    expect(budgetGatesOptionsFromEnv(URL_)).toMatchObject({
      url: 'http://127.0.0.1:9464',
      failClosed: false,
    });
    expect(
      budgetGatesOptionsFromEnv({
        ...URL_,
        BURNRATE_EVALUATOR_REFRESH: '500ms',
        BURNRATE_EVALUATOR_TIMEOUT: '1s',
        BURNRATE_EVALUATOR_MAX_STALENESS: '2m',
        BURNRATE_EVALUATOR_FAIL: 'closed',
        BURNRATE_DEGRADE_MODELS: 'gpt-4o=gpt-4o-mini, claude-opus-4-1=claude-haiku-4-5',
        BURNRATE_DEGRADE_MAX_TOKENS: '256',
      }),
    ).toMatchObject({
      refreshMs: 500,
      timeoutMs: 1000,
      maxStalenessMs: 120_000,
      failClosed: true,
      degradeModels: { 'gpt-4o': 'gpt-4o-mini', 'claude-opus-4-1': 'claude-haiku-4-5' },
      degradeMaxTokens: 256,
    });
  });

  it('one clear error naming the variable', () => {
    expect(problem({ BURNRATE_EVALUATOR_URL: 'localhost:9464' })).toMatch(
      /^BURNRATE_EVALUATOR_URL: expected an http\(s\) URL/,
    );
    expect(problem({ ...URL_, BURNRATE_EVALUATOR_REFRESH: 'soon' })).toBe(
      'BURNRATE_EVALUATOR_REFRESH: expected a duration between 100ms and 1h like 500ms, 15s or 2m, got "soon"',
    );
    expect(problem({ ...URL_, BURNRATE_EVALUATOR_FAIL: 'sometimes' })).toBe(
      'BURNRATE_EVALUATOR_FAIL: expected open or closed, got "sometimes"',
    );
    expect(problem({ ...URL_, BURNRATE_DEGRADE_MODELS: 'gpt-4o' })).toMatch(
      /^BURNRATE_DEGRADE_MODELS: expected model=cheaper-model pairs .*got "gpt-4o"$/,
    );
    expect(problem({ ...URL_, BURNRATE_DEGRADE_MAX_TOKENS: '-5' })).toMatch(
      /^BURNRATE_DEGRADE_MAX_TOKENS: /,
    );
    expect(problem({ ...URL_, BURNRATE_EVALUATOR_TOKEN_FILE: '/nonexistent/burnrate-token' })).toBe(
      'BURNRATE_EVALUATOR_TOKEN_FILE: cannot read the token file "/nonexistent/burnrate-token"',
    );
  });
});

describe('resource labels, as the Collector will label the spans', () => {
  it('takes service, environment and team from the variables the SDK and Burnrate read', () => {
    expect(
      resourceLabels({
        OTEL_SERVICE_NAME: 'api',
        BURNRATE_ENVIRONMENT: 'prod',
        BURNRATE_TEAM: 'search',
      }),
    ).toEqual({ service: 'api', environment: 'prod', team: 'search' });
    expect(
      resourceLabels({
        OTEL_RESOURCE_ATTRIBUTES:
          'service.name=web,deployment.environment.name=staging,burnrate.team=ads%2Fx',
      }),
    ).toEqual({ service: 'web', environment: 'staging', team: 'ads/x' });
    expect(resourceLabels({})).toMatchObject({ environment: 'unknown', team: 'unassigned' });
    expect(resourceLabels({}).service).toMatch(/^unknown_service:/);
  });
});

describe('the status document', () => {
  it('names the first field it cannot read', () => {
    expect(() =>
      parseStatus('http://e', {
        budgets: [{ name: 'a', selector: { matchers: [] }, state: 'broken' }],
      }),
    ).toThrow(
      'budget evaluator http://e: budgets[0].state: expected ok, warning, exceeded, waiting or invalid_data, got "broken"',
    );
    expect(() => parseStatus('http://e', {})).toThrow(
      'budget evaluator http://e: budgets: expected a list of budgets',
    );
  });

  it('reads degrade_at as a fraction, or a percentage above 1', () => {
    const doc = (degradeAt: number) => ({
      budgets: [
        {
          name: 'a',
          selector: { matchers: [] },
          state: 'ok',
          limitUsd: 10,
          spentUsd: 1,
          enforcement: { mode: 'degrade', degradeAt },
        },
      ],
    });
    expect(parseStatus('http://e', doc(0.9))[0].degradeAt).toBe(0.9);
    expect(parseStatus('http://e', doc(90))[0].degradeAt).toBe(0.9);
  });
});
