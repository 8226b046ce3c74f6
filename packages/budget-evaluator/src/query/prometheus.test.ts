// The Prometheus client against a stub of the HTTP API: queries at explicit times under a path
// prefix, auth given as values, result types, and what each failure says (never a secret).

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, PrometheusError } from './prometheus.ts';
import { ConnectionError } from './prometheus-connection.ts';

const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
let server: Server;
let url: string;

const matrix = (values: unknown[]) => ({
  status: 'success',
  data: { resultType: 'matrix', result: [{ metric: { a: 'b' }, values }] },
});

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
      if (req.headers.authorization === 'Bearer other-tenant') return reply(403, {});
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
      if (q === 'string') {
        return reply(200, { status: 'success', data: { resultType: 'string', result: [1, 'x'] } });
      }
      if (req.url?.endsWith('/query_range') || q.endsWith(']')) {
        return reply(
          200,
          matrix([
            [1, '1'],
            [2, '+Inf'],
          ]),
        );
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

const fail = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (err) {
    return err as PrometheusError;
  }
  throw new Error('no error');
};

describe('PrometheusClient', () => {
  it('instant, raw and range queries, with explicit times, under a path prefix', async () => {
    const c = new PrometheusClient({ url });
    expect(await c.query('sum(x)', 1_700_000_000_500)).toEqual([
      { metric: { team: 'x' }, value: 0.25 },
    ]);
    expect(seen.at(-1)?.path).toBe('/prefix/api/v1/query');
    expect(new URLSearchParams(seen.at(-1)?.body).get('time')).toBe('1700000000.500');
    // A scalar answer is one unlabelled sample.
    expect(await c.query('scalar', 0)).toEqual([{ metric: {}, value: 2.5 }]);
    const raw = await c.queryMatrix('x[5m]', 0);
    expect(raw[0].values).toEqual([
      [1, 1],
      [2, Number.POSITIVE_INFINITY],
    ]);
    await c.queryRange('x', 0, 60_000, 15);
    expect(seen.at(-1)?.path).toBe('/prefix/api/v1/query_range');
    expect(Object.fromEntries(new URLSearchParams(seen.at(-1)?.body))).toEqual({
      query: 'x',
      start: '0.000',
      end: '60.000',
      step: '15',
    });
    expect(c.queries).toBe(4);
    c.close();
  });

  it('sends a bearer token or basic auth given as values, and the tenant header', async () => {
    const c = new PrometheusClient({
      url,
      connection: { bearerToken: ' t0k ', headers: { 'X-Scope-OrgID': 'acme' } },
    });
    await c.query('x', 0);
    expect(seen.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer t0k',
      'x-scope-orgid': 'acme',
    });
    const basicAuth = { username: 'u', password: 'p:w' };
    await new PrometheusClient({
      url,
      connection: { basicAuth, headers: { 'X-Tenant': 't' } },
    }).query('x', 0);
    expect(seen.at(-1)?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('u:p:w').toString('base64')}`,
      'x-tenant': 't',
    });
    const both = () => new PrometheusClient({ url, connection: { bearerToken: 'a', basicAuth } });
    expect(both).toThrow(ConnectionError);
    expect(both).toThrow(/use one of a bearer token, basic auth .*not several/);
  });

  it('checks the result type: a vector (or scalar) for query, a matrix for the others', async () => {
    const c = new PrometheusClient({ url });
    expect(await fail(() => c.query('x[5m]', 0))).toMatchObject({
      kind: 'query',
      message: 'expected a vector from x[5m]',
    });
    expect(await fail(() => c.query('string', 0))).toMatchObject({ kind: 'query' });
    expect(await fail(() => c.queryMatrix('sum(x)', 0))).toMatchObject({
      kind: 'query',
      message: 'expected a range vector from sum(x)',
    });
    // Streamed answers are checked before their first series reaches the callback.
    const got: unknown[] = [];
    expect(await fail(() => c.eachSeries('sum(x)', 0, (s) => got.push(s)))).toMatchObject({
      kind: 'query',
      message: 'expected a range vector from sum(x)',
    });
    expect(got).toEqual([]);
    await c.eachSeries('x[5m]', 0, (s) => got.push(s));
    expect(got).toHaveLength(1);
    c.close();
  });

  it('says what went wrong: refused, query error, HTTP error, timeout, unreachable', async () => {
    const c = new PrometheusClient({ url, timeoutMs: 300 });
    for (const [token, status] of [
      ['wrong', 401],
      ['other-tenant', 403],
    ] as const) {
      const refused = new PrometheusClient({ url, connection: { bearerToken: token } });
      expect(await fail(() => refused.query('x', 0))).toMatchObject({
        kind: 'auth',
        message: `Prometheus at ${url.replace(/\/$/, '')} refused the request (HTTP ${status}): check the credentials`,
      });
    }
    expect(await fail(() => c.query('bad(', 0))).toMatchObject({
      kind: 'query',
      message: expect.stringMatching(/parse error/),
    });
    expect(await fail(() => c.query('html', 0))).toMatchObject({
      kind: 'http',
      message: expect.stringMatching(/HTTP 502/),
    });
    expect(await fail(() => c.query('slow', 0))).toMatchObject({ kind: 'timeout' });
    const gone = new PrometheusClient({ url: 'http://127.0.0.1:9/' });
    expect(await fail(() => gone.query('x', 0))).toBeInstanceOf(PrometheusError);
    expect((await fail(() => gone.query('x', 0))).kind).toBe('unreachable');
    expect(() => new PrometheusClient({ url: 'ftp://x' })).toThrow(/expected an http\(s\) URL/);
    // A password in a value that is not an http(s) URL is not repeated.
    expect(() => new PrometheusClient({ url: 'ftp://svc:hunter2@x' })).toThrow(
      'expected an http(s) URL, got "ftp://***@x"',
    );
  });
});
