import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, PrometheusError } from './client.ts';

const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const q = new URLSearchParams(body).get('query') ?? '';
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      if (req.headers.authorization === 'Bearer wrong') return reply(401, {});
      if (q === 'slow') return setTimeout(() => reply(200, {}), 2000);
      if (q === 'bad(') return reply(400, { status: 'error', error: 'parse error' });
      if (q === 'html') {
        res.writeHead(502);
        return res.end('<html>bad gateway</html>');
      }
      if (q === 'scalar') {
        return reply(200, {
          status: 'success',
          data: { resultType: 'scalar', result: [1, '2.5'] },
        });
      }
      if (req.url?.endsWith('/query_range') || q.endsWith(']')) {
        const values = [
          [1, '1'],
          [2, '+Inf'],
        ];
        const resultType = 'matrix';
        return reply(200, {
          status: 'success',
          data: { resultType, result: [{ metric: { a: 'b' }, values }] },
        });
      }
      reply(200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { team: 'x' }, value: [1, '0.25'] }] },
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('Prometheus client', () => {
  it('instant, raw and range queries, with explicit times, under a path prefix', async () => {
    const c = new PrometheusClient({ url });
    expect(await c.query('sum(x)', 1_700_000_000_500)).toEqual([
      { metric: { team: 'x' }, value: 0.25 },
    ]);
    expect(seen.at(-1)?.path).toBe('/prefix/api/v1/query');
    expect(new URLSearchParams(seen.at(-1)?.body).get('time')).toBe('1700000000.500');
    expect(await c.query('scalar', 0)).toEqual([{ metric: {}, value: 2.5 }]);
    const raw = await c.queryMatrix('x[5m]', 0);
    expect(raw[0].values).toEqual([
      [1, 1],
      [2, Number.POSITIVE_INFINITY],
    ]);
    await c.queryRange('x', 0, 60_000, 15);
    expect(Object.fromEntries(new URLSearchParams(seen.at(-1)?.body))).toEqual({
      query: 'x',
      start: '0.000',
      end: '60.000',
      step: '15',
    });
    expect(c.requests).toBe(4);
  });

  it('sends bearer or basic auth and the tenant header', async () => {
    await new PrometheusClient({ url, bearerToken: 't0k', tenant: 'acme' }).query('x', 0);
    expect(seen.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer t0k',
      'x-scope-orgid': 'acme',
    });
    const basic = { username: 'u', password: 'p:w' };
    await new PrometheusClient({
      url,
      basicAuth: basic,
      tenant: 't',
      tenantHeader: 'X-Tenant',
    }).query('x', 0);
    expect(seen.at(-1)?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}`,
      'x-tenant': 't',
    });
    expect(() => new PrometheusClient({ url, bearerToken: 'a', basicAuth: basic })).toThrow(
      /either/,
    );
  });

  it('says what went wrong: refused, query error, HTTP error, timeout, unreachable', async () => {
    const fail = async (c: PrometheusClient, q: string) => {
      try {
        await c.query(q, 0);
      } catch (err) {
        return err as PrometheusError;
      }
      throw new Error('no error');
    };
    const c = new PrometheusClient({ url, timeoutMs: 300 });
    expect(await fail(new PrometheusClient({ url, bearerToken: 'wrong' }), 'x')).toMatchObject({
      kind: 'auth',
    });
    expect(await fail(c, 'bad(')).toMatchObject({
      kind: 'query',
      message: expect.stringMatching(/parse error/),
    });
    expect(await fail(c, 'html')).toMatchObject({
      kind: 'http',
      message: expect.stringMatching(/HTTP 502/),
    });
    expect(await fail(c, 'slow')).toMatchObject({ kind: 'timeout' });
    const gone = new PrometheusClient({ url: 'http://127.0.0.1:9/' });
    expect(await fail(gone, 'x')).toBeInstanceOf(PrometheusError);
    expect((await fail(gone, 'x')).kind).toBe('unreachable');
    expect(() => new PrometheusClient({ url: 'ftp://x' })).toThrow(/http/);
  });
});
