import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attributionAttributes,
  attributionScope,
  currentAttribution,
  withAttribution,
  withFrameworkAgent,
} from './attribution.ts';
import { burnrateResourceAttributes, ConfigError } from './resource-env.ts';

beforeAll(() => {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
});
afterAll(() => context.disable());

describe('withAttribution', () => {
  it('scopes nested calls and concurrent promises, inner fields overriding outer ones', async () => {
    const seen = await withAttribution(
      { team: 'search', endpoint: '/search', tenant: 'acme' },
      async () => {
        const inner = withAttribution({ endpoint: '/search/suggest' }, () => currentAttribution());
        const concurrent = await Promise.all([
          withAttribution({ team: 'ads' }, async () => {
            await new Promise((r) => setTimeout(r, 5));
            return currentAttribution().team;
          }),
          (async () => {
            await new Promise((r) => setTimeout(r, 1));
            return currentAttribution().team;
          })(),
        ]);
        return { inner, concurrent };
      },
    );
    expect(seen.inner).toEqual({ team: 'search', endpoint: '/search/suggest', tenant: 'acme' });
    expect(seen.concurrent).toEqual(['ads', 'search']);
    expect(currentAttribution()).toEqual({});
  });

  it('takes the endpoint from the inbound route template when no scope names one', () => {
    const span = trace.wrapSpanContext({
      traceId: '1'.repeat(32),
      spanId: '1'.repeat(16),
      traceFlags: 1,
    });
    const ctx = setRPCMetadata(ROOT_CONTEXT, { type: RPCType.HTTP, route: '/users/:id', span });
    expect(context.with(ctx, () => attributionAttributes())).toEqual({
      'burnrate.endpoint': '/users/:id',
    });
    const scoped = context.with(ctx, () =>
      withAttribution({ endpoint: '/explicit' }, () => currentAttribution()),
    );
    expect(scoped.endpoint).toBe('/explicit');
  });
});

describe('resource attributes from the environment', () => {
  it('reads BURNRATE_TEAM and BURNRATE_ENVIRONMENT', () => {
    expect(
      burnrateResourceAttributes({ BURNRATE_TEAM: 'search', BURNRATE_ENVIRONMENT: 'prod' }),
    ).toEqual({
      'burnrate.team': 'search',
      'deployment.environment.name': 'prod',
    });
  });
  it('rejects free text with one error naming the variable', () => {
    expect(() => burnrateResourceAttributes({ BURNRATE_ENVIRONMENT: 'user 42 says hi' })).toThrow(
      ConfigError,
    );
    expect(() => burnrateResourceAttributes({ BURNRATE_ENVIRONMENT: 'user 42 says hi' })).toThrow(
      /^BURNRATE_ENVIRONMENT: expected a short label/,
    );
  });
});

describe('withFrameworkAgent', () => {
  it('enters no new scope when the facts it is given are those in force (a hook inside its own run)', () => {
    withFrameworkAgent({ agent: 'planner', session: 's-1' }, () => {
      const outer = attributionScope();
      withFrameworkAgent({ agent: 'planner' }, () => expect(attributionScope()).toBe(outer));
      withFrameworkAgent({ agent: 'planner', session: 's-1', tool: '' }, () =>
        expect(attributionScope()).toBe(outer),
      );
      // A new fact, or another value: a scope of its own, field by field over the outer one.
      withFrameworkAgent({ tool: 'search' }, () => {
        expect(attributionScope()).not.toBe(outer);
        expect(attributionScope()?.framework).toEqual({
          agent: 'planner',
          session: 's-1',
          tool: 'search',
        });
      });
      withFrameworkAgent({ agent: 'critic' }, () =>
        expect(attributionScope()?.framework?.agent).toBe('critic'),
      );
      expect(attributionScope()).toBe(outer);
    });
  });
});
