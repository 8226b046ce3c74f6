import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withAttribution } from '@burnrate/auto';
import OpenAI from 'openai';
import { researchFlow } from './research.ts';

/**
 * The demo AI service: a few endpoints owned by different teams, each making the model calls a
 * real product makes. The only Burnrate code is `withAttribution` with the route template, which
 * a service whose HTTP framework is instrumented gets from `http.route` without any code.
 */
interface Route {
  method: string;
  template: string;
  team: string;
  pattern: RegExp;
  handle: (openai: OpenAI, body: Record<string, unknown>) => Promise<unknown>;
}

const question = (body: Record<string, unknown>) =>
  String(body.q ?? 'How much did we spend on tokens?');

/** One research flow (OpenAI Agents SDK) per client. */
const flows = new WeakMap<OpenAI, ReturnType<typeof researchFlow>>();

const ROUTES: Route[] = [
  {
    method: 'POST',
    template: '/api/search',
    team: 'search',
    pattern: /^\/api\/search$/,
    async handle(openai, body) {
      await openai.embeddings.create({ model: 'text-embedding-3-small', input: [question(body)] });
      const r = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer from the retrieved passages.' },
          { role: 'user', content: question(body) },
        ],
      });
      return { answer: r.choices[0]?.message.content?.slice(0, 40) };
    },
  },
  {
    method: 'POST',
    template: '/api/chat',
    team: 'assistant',
    pattern: /^\/api\/chat$/,
    async handle(openai, body) {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o',
        stream: true,
        messages: [
          {
            role: 'system',
            content: 'You are a helpful assistant with a long system prompt. '.repeat(20),
          },
          { role: 'user', content: question(body) },
        ],
      });
      let n = 0;
      for await (const chunk of stream) n += chunk.choices[0]?.delta?.content?.length ?? 0;
      return { characters: n };
    },
  },
  {
    method: 'GET',
    template: '/api/documents/:id/summary',
    team: 'docs',
    pattern: /^\/api\/documents\/[^/]+\/summary$/,
    async handle(openai) {
      const r = await openai.responses.create({
        model: 'gpt-4.1-mini',
        input: 'Summarise this document. '.repeat(30),
      });
      return { id: r.id };
    },
  },
  {
    method: 'POST',
    template: '/api/classify',
    team: 'trust-safety',
    pattern: /^\/api\/classify$/,
    async handle(openai, body) {
      const r = await openai.chat.completions.create({
        model: 'o4-mini',
        messages: [{ role: 'user', content: `Is this safe? ${question(body)}` }],
      });
      return { label: r.choices[0]?.finish_reason };
    },
  },
  {
    method: 'POST',
    template: '/api/experimental',
    team: 'research',
    pattern: /^\/api\/experimental$/,
    async handle(openai, body) {
      // A fine-tune no catalog prices: counted as `unpriced`, never as $0.
      await openai.chat.completions.create({
        model: 'acme-finetune-v2',
        messages: [{ role: 'user', content: question(body) }],
      });
      return { ok: true };
    },
  },
  {
    method: 'POST',
    template: '/api/research',
    team: 'research',
    pattern: /^\/api\/research$/,
    async handle(openai, body) {
      // A multi-agent run (planner → researcher with a tool → writer): research.ts.
      let flow = flows.get(openai);
      if (!flow) {
        flow = researchFlow(openai);
        flows.set(openai, flow);
      }
      const answer = await flow(question(body));
      return { answer: answer.slice(0, 40) };
    },
  },
];

export const DEMO_ROUTES = ROUTES.map((r) => ({
  method: r.method,
  template: r.template,
  team: r.team,
}));

export async function startService(options: {
  port?: number;
  modelApiUrl: string;
}): Promise<{ url: string; server: Server }> {
  const openai = new OpenAI({
    baseURL: options.modelApiUrl,
    apiKey: process.env.OPENAI_API_KEY ?? 'demo-key',
    maxRetries: 0,
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200).end('ok');
      return;
    }
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
          : {};
      } catch {
        body = {};
      }
      withAttribution({ team: route.team, endpoint: route.template }, () =>
        route.handle(openai, body),
      ).then(
        (result) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        },
        (error: unknown) => {
          const status = (error as { status?: number }).status ?? 500;
          res.writeHead(status >= 400 ? status : 500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: (error as Error).message }));
        },
      );
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, process.env.HOST ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}
