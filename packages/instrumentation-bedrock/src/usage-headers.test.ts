import type { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { invokeReply } from './fixtures.ts';
import { Bedrock, useHarness } from './test-setup.ts';

const h = useHarness();
// Mistral 7B's body has no usage: its tokens come from the response headers alone.
const MISTRAL = 'mistral.mistral-7b-instruct-v0:2';

function reply(input: number, output: number) {
  return invokeReply(
    MISTRAL,
    { outputs: [{ text: 'North.', stop_reason: 'stop' }] },
    { input, output },
  );
}

function newClient(config: { cacheMiddleware?: boolean } = {}) {
  return new Bedrock.BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: h.replay.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
    ...config,
  });
}

const invoke = () =>
  new Bedrock.InvokeModelCommand({ modelId: MISTRAL, body: JSON.stringify({ prompt: 'x' }) });

/** The token counts of the spans, in the order the calls were made (their prompts differ). */
function counts(): [unknown, unknown][] {
  return h.tracing
    .spans()
    .map((s) => [
      s.attributes['gen_ai.usage.input_tokens'],
      s.attributes['gen_ai.usage.output_tokens'],
    ]);
}

describe('Bedrock InvokeModel: each call gets its own token-count headers', () => {
  it('calls in flight together', async () => {
    h.replay.add([reply(11, 1), reply(22, 2), reply(33, 3)]);
    const client = newClient();
    await Promise.all([client.send(invoke()), client.send(invoke()), client.send(invoke())]);
    expect(counts().sort()).toEqual([
      [11, 1],
      [22, 2],
      [33, 3],
    ]);
    expect(h.tracing.spans().every((s) => s.attributes['burnrate.cost.source'] === 'usage')).toBe(
      true,
    );
  });

  it('a client that reuses its built middleware chains (cacheMiddleware)', async () => {
    h.replay.add([reply(11, 1), reply(22, 2), reply(33, 3)]);
    const client = newClient({ cacheMiddleware: true });
    for (let i = 0; i < 3; i++) await client.send(invoke());
    expect(counts()).toEqual([
      [11, 1],
      [22, 2],
      [33, 3],
    ]);
  });

  it('a command whose chain the SDK builds after `send` returned (found by the span)', async () => {
    type Resolve = InvokeModelCommand['resolveMiddleware'];
    class Deferred extends Bedrock.InvokeModelCommand {
      override resolveMiddleware(
        stack: Parameters<Resolve>[0],
        config: Parameters<Resolve>[1],
        options: Parameters<Resolve>[2],
      ): ReturnType<Resolve> {
        const build = () => super.resolveMiddleware(stack, config, options);
        return (async (input: never) => {
          await Promise.resolve();
          return build()(input);
        }) as ReturnType<Resolve>;
      }
    }
    h.replay.add([reply(44, 4), reply(55, 5)]);
    const client = newClient();
    for (const tokens of [44, 55]) {
      await client.send(
        new Deferred({ modelId: MISTRAL, body: JSON.stringify({ prompt: `x${tokens}` }) }),
      );
    }
    expect(counts()).toEqual([
      [44, 4],
      [55, 5],
    ]);
  });
});
