import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OpenAI API, for the demo only: answers chat completions (streaming,
 * with `include_usage`; tool calls, see `nextToolCall`), the Responses API and embeddings in the API's published format, with
 * usage that varies per request (cached prompts, reasoning tokens) and a small share of 429/500
 * errors, so the stack shows real-looking spend offline. Its usage is the provider's truth:
 * Burnrate must report exactly these numbers.
 */
export interface ModelApi {
  url: string;
  close(): Promise<void>;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const WORDS = 'the cost of every call is tokens times a price and a budget keeps it honest'.split(
  ' ',
);

type ToolSpec = {
  type?: string;
  function?: { name?: string; parameters?: { properties?: Record<string, { type?: string }> } };
};
type Message = { role?: string; tool_calls?: Array<{ function?: { name?: string } }> };

/**
 * What an agent framework's chat-completions turn gets back when it offers tools (the OpenAI
 * Agents SDK, for instance): each function tool is called once per conversation, then the first
 * handoff (`transfer_to_*`) not taken yet; after that, the answer is text. So a planner with only a
 * handoff hands off, a researcher with a tool and a handoff calls the tool, then hands off.
 */
export function nextToolCall(
  body: Record<string, unknown>,
): { name: string; arguments: string } | undefined {
  const tools = (Array.isArray(body.tools) ? body.tools : []) as ToolSpec[];
  const called = new Set(
    ((Array.isArray(body.messages) ? body.messages : []) as Message[]).flatMap((m) =>
      (m.tool_calls ?? []).map((c) => c.function?.name),
    ),
  );
  const functions = tools.flatMap((t) =>
    t.type === 'function' && t.function?.name ? [t.function] : [],
  );
  const next =
    functions.find((f) => !f.name?.startsWith('transfer_to_') && !called.has(f.name)) ??
    functions.find((f) => f.name?.startsWith('transfer_to_') && !called.has(f.name));
  if (!next?.name) return undefined;
  const args: Record<string, string> = {};
  for (const [key, spec] of Object.entries(next.parameters?.properties ?? {})) {
    if (spec.type === 'string') args[key] = 'what one agent run costs';
  }
  return { name: next.name, arguments: JSON.stringify(args) };
}

function promptTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify(body.messages ?? body.input ?? '');
  return 8 + Math.ceil(text.length / 4);
}

export async function startModelApi(
  options: { port?: number; errorRate?: number; seed?: number } = {},
): Promise<ModelApi> {
  const random = rng(options.seed ?? 42);
  const errorRate = options.errorRate ?? 0.02;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          unknown
        >;
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (random() < errorRate) {
        const status = random() < 0.5 ? 429 : 500;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: status === 429 ? 'Rate limit reached' : 'Server error',
              type: 'server_error',
            },
          }),
        );
        return;
      }
      const model = String(body.model ?? 'gpt-4o-mini');
      const input = promptTokens(body);
      const cached = input > 64 && random() < 0.4 ? Math.floor((input * 0.75) / 64) * 64 : 0;
      const output = 20 + Math.floor(random() * 200);
      const reasoning = model.startsWith('o') ? Math.floor(output * 0.6) : 0;
      const text = Array.from(
        { length: Math.max(1, output - reasoning) },
        (_, i) => WORDS[i % WORDS.length],
      ).join(' ');
      const path = (req.url ?? '').split('?')[0];
      const id = `demo-${Math.floor(random() * 1e9)}`;
      if (path.endsWith('/embeddings')) {
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        json(res, {
          object: 'list',
          data: inputs.map((_, index) => ({
            object: 'embedding',
            index,
            embedding: [0.1, 0.2, 0.3],
          })),
          model,
          usage: { prompt_tokens: input, total_tokens: input },
        });
      } else if (path.endsWith('/responses')) {
        const usage = {
          input_tokens: input,
          input_tokens_details: { cached_tokens: cached },
          output_tokens: output,
          output_tokens_details: { reasoning_tokens: reasoning },
          total_tokens: input + output,
        };
        json(res, {
          id,
          object: 'response',
          created_at: Math.floor(Date.now() / 1000),
          model,
          status: 'completed',
          output: [
            {
              type: 'message',
              id: 'msg',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ],
          usage,
        });
      } else if (path.endsWith('/chat/completions')) {
        const usage = {
          prompt_tokens: input,
          completion_tokens: output,
          total_tokens: input + output,
          prompt_tokens_details: { cached_tokens: cached },
          completion_tokens_details: { reasoning_tokens: reasoning },
        };
        const base = {
          id,
          object: 'chat.completion.chunk',
          created: Math.floor(Date.now() / 1000),
          model,
        };
        if (body.stream === true) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const parts = text.split(' ');
          for (let i = 0; i < parts.length; i += 8) {
            const delta = { content: `${i ? ' ' : ''}${parts.slice(i, i + 8).join(' ')}` };
            res.write(
              `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`,
            );
          }
          res.write(
            `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
          );
          const options = body.stream_options as { include_usage?: boolean } | undefined;
          if (options?.include_usage)
            res.write(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
          res.end('data: [DONE]\n\n');
          return;
        }
        const toolCall = nextToolCall(body);
        const choice = toolCall
          ? {
              index: 0,
              message: {
                role: 'assistant',
                content: null,
                tool_calls: [{ id: `call_${id}`, type: 'function', function: toolCall }],
              },
              finish_reason: 'tool_calls',
            }
          : { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' };
        json(res, {
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [choice],
          usage,
        });
      } else {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"message":"not found"}}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
