// Slack and the generic webhook against a local receiver; the CLI's exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from '../test-support/digest/http-receiver.ts';
import { sampleDigest } from '../test-support/digest/sample-data.ts';
import { digestCommand } from './cli.ts';
import type { Channel } from './config.ts';
import { digestContent } from './content.ts';
import { deliverDigest } from './deliver.ts';
import { renderSlack, type SlackBlock } from './render.ts';
import { Secret } from './secret.ts';

let ok: HttpReceiver;
let failing: HttpReceiver;
let dir: string;

beforeAll(async () => {
  ok = await startHttpReceiver();
  failing = await startHttpReceiver(() => ({ status: 400, body: 'invalid_blocks' }));
  dir = mkdtempSync(join(tmpdir(), 'burnrate-digest-cli-'));
});

afterAll(async () => {
  await ok?.stop();
  await failing?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const slack = (url: string, name = 'slack'): Channel => ({
  type: 'slack',
  name,
  url: new Secret(url, 'test'),
  timeoutMs: 5000,
});

describe('Slack incoming webhook', () => {
  it("posts Block Kit JSON within Slack's limits, with a text fallback", async () => {
    const [r] = await deliverDigest(
      { channels: [slack(`${ok.url}/services/T0/B0/tok`)] },
      sampleDigest(),
    );
    expect(r).toMatchObject({ ok: true, type: 'slack' });
    const got = ok.received.at(-1)!;
    expect(got.path).toBe('/services/T0/B0/tok');
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8');
    const msg = JSON.parse(got.body) as { text: string; blocks: SlackBlock[] };
    expect(msg.text).toMatch(/^Burnrate weekly digest, week to Mon 2026-03-30: Spend /);
    expect(msg.blocks.length).toBeLessThanOrEqual(50);
    expect(msg.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Burnrate weekly digest, week to Mon 2026-03-30' },
    });
    const sections = msg.blocks.filter((b) => b.type === 'section');
    for (const s of sections) expect(s.text.text.length).toBeLessThanOrEqual(3000);
    const text = sections.map((s) => s.text.text).join('\n');
    expect(text).toContain(
      '*Top movers by team*\n• search: $210.00 (last week $70.00, +$140.00, +200 %)',
    );
    expect(text).toContain('R&amp;D &lt;planner&gt;'); // mrkdwn control characters escaped
    expect(text).toContain(
      '*Budgets at risk*\n• search-monthly: $420.00 of $500.00, forecast $700.00',
    );
    expect(text).toMatch(/\*Forecast\*\n• Next 7 days \(to .*\): \$[\d,.]+, 90 % band/);
    const context = msg.blocks.at(-1)!;
    expect(context.type === 'context' && context.elements[0].text).toContain(
      '<https://grafana.example.com/d/burnrate|Open the dashboard>',
    );
  });

  it('cuts a section that would pass 3000 characters', () => {
    const d = sampleDigest();
    d.problems = Array.from({ length: 200 }, (_, i) => `section ${i}: Prometheus unreachable`);
    const msg = renderSlack(digestContent(d), null);
    const last = msg.blocks.filter((b) => b.type === 'section').at(-1)!;
    expect(last.type === 'section' && last.text.text.length).toBe(3000);
  });
});

describe('generic webhook and failing channels', () => {
  it('posts the data as JSON with secret headers, and a failing channel fails alone', async () => {
    const hook: Channel = {
      type: 'webhook',
      name: 'erp',
      url: new Secret(`${ok.url}/hook?token=abc`, 'test'),
      headers: { Authorization: new Secret('Bearer t0k', 'test') },
      timeoutMs: 5000,
    };
    const results = await deliverDigest(
      { channels: [slack(`${failing.url}/services/secret-path`, 'broken-slack'), hook] },
      sampleDigest(),
    );
    expect(results[0]).toMatchObject({
      channel: 'broken-slack',
      ok: false,
      error: 'HTTP 400: invalid_blocks',
    });
    expect(results[1]).toMatchObject({ channel: 'erp', ok: true });
    expect(JSON.stringify(results)).not.toContain('secret-path');
    const got = ok.received.at(-1)!;
    expect(got.headers.authorization).toBe('Bearer t0k');
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      kind: 'burnrate-digest',
      version: 1,
      generatedAt: '2026-03-30T07:00:00.000Z',
      totals: { thisWeekUsd: 1234.5, lastWeekUsd: 1000 },
      budgetsAtRisk: [{ budget: 'search-monthly', reasons: ['utilization', 'forecast'] }],
      forecast: { ok: true, coverage: 0.9 },
    });
    expect(body.forecast.horizons.map((h: { horizon: string }) => h.horizon)).toEqual([
      'next_7_days',
      'month_end',
      'quarter_end',
    ]);
    expect(body.text).toContain('Top movers by model');
  });
});

describe('burnrate digest (CLI)', () => {
  const emptyProm = () => ({ query: async () => [], queryRange: async () => [] });
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await digestCommand(args, {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env,
      prometheus: emptyProm,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('exits 1 when a channel fails, after delivering to the others', async () => {
    const file = write(
      'digest.yaml',
      `schedule: "Mon 09:00"
prometheus_url: http://127.0.0.1:9
channels:
  - { type: slack, name: good, webhook_url: { env: GOOD_URL } }
  - { type: slack, name: bad, webhook_url: { env: BAD_URL } }
`,
    );
    const before = ok.received.length;
    const r = await run(['--config', file, '--now', '2026-03-30T07:00:00Z'], {
      GOOD_URL: `${ok.url}/good`,
      BAD_URL: `${failing.url}/bad-token`,
    });
    expect(r.code).toBe(1);
    expect(ok.received.length).toBe(before + 1);
    expect(r.out).toMatch(/digest: delivered to good \(slack\)/);
    expect(r.err).toContain('digest: delivery to bad (slack) failed: HTTP 400: invalid_blocks');
    expect(r.err + r.out).not.toContain('bad-token');
    const all = await run(['--config', file, '--channel', 'good'], {
      GOOD_URL: `${ok.url}/good`,
      BAD_URL: 'x',
    });
    expect(all.code).toBe(0);
  });

  it('exits 2 on a config error naming file, line and field', async () => {
    const file = write(
      'bad.yaml',
      'schedule: "Mon 09:00"\nchannels:\n  - { type: slack, webhook_url: { env: NOPE } }\n',
    );
    const r = await run(['--config', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `burnrate digest: ${file}:3:20: channels[0].webhook_url: environment variable NOPE is not set`,
    );
    expect((await run([])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
  });

  it('prints the digest with --dry-run and sends nothing', async () => {
    const file = write(
      'dry.yaml',
      'schedule: "Mon 09:00"\nchannels:\n  - { type: slack, webhook_url: https://127.0.0.1:9/x }\n',
    );
    const r = await run(['--config', file, '--prometheus', 'http://127.0.0.1:9', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Burnrate weekly digest');
    expect(r.out).toContain(
      'Cannot forecast yet: cannot forecast: 0 whole day(s) of spend history, 14 needed',
    );
    const json = await run([
      '--config',
      file,
      '--prometheus',
      'http://127.0.0.1:9',
      '--dry-run',
      '--format',
      'json',
    ]);
    expect(JSON.parse(json.out).forecast).toMatchObject({
      ok: false,
      reason: 'insufficient_history',
    });
  });
});

describe('digestCliCommand (the finance CLI table entry)', () => {
  it('runs the digest command through the CLI io', async () => {
    const { digestCliCommand } = await import('./command.ts');
    const out: string[] = [];
    const code = await digestCliCommand.run(['--help'], {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      env: {},
      now: () => 0,
    });
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/^Usage: burnrate digest --config <digest.yaml>/);
  });
});
