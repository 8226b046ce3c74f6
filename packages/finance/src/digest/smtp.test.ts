// The SMTP client against a local SMTP server that records what it received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleDigest } from '../test-support/digest/sample-data.ts';
import {
  mimeParts,
  type SmtpTestServer,
  startSmtpServer,
  testCertificate,
} from '../test-support/digest/smtp-server.ts';
import type { Channel, SmtpSettings } from './config.ts';
import { deliverDigest } from './deliver.ts';
import { Secret } from './secret.ts';
import { dotStuff, sendMail } from './smtp.ts';

let cert: { key: string; cert: string };
let tlsServer: SmtpTestServer;
let plainServer: SmtpTestServer;

const smtp = (port: number, over: Partial<SmtpSettings> = {}): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  tls: 'none',
  username: null,
  password: null,
  ca: null,
  helloName: 'burnrate.test',
  timeoutMs: 5000,
  ...over,
});

beforeAll(async () => {
  cert = testCertificate();
  tlsServer = await startSmtpServer({ tls: cert });
  plainServer = await startSmtpServer({ rejectRecipient: 'nobody@example.com' });
});

afterAll(async () => {
  await tlsServer?.stop();
  await plainServer?.stop();
});

describe('e-mail over SMTP', () => {
  it('delivers the digest with STARTTLS and AUTH as text + HTML multipart', async () => {
    const channel: Channel = {
      type: 'email',
      name: 'finance-mail',
      from: 'burnrate@example.com',
      fromName: 'Burnrate',
      to: ['finance@example.com', 'cfo@example.com'],
      subject: '[FinOps]',
      smtp: smtp(tlsServer.port, {
        tls: 'starttls',
        username: 'digest',
        password: new Secret('s3cr3t-pw', 'test'),
        ca: cert.cert,
      }),
    };
    const [result] = await deliverDigest({ channels: [channel] }, sampleDigest(), {
      now: () => SAMPLE_NOW,
    });
    expect(result).toMatchObject({ channel: 'finance-mail', ok: true });
    const mail = tlsServer.mails.at(-1)!;
    expect(mail).toMatchObject({
      from: 'burnrate@example.com',
      to: ['finance@example.com', 'cfo@example.com'],
      secure: true,
      auth: { user: 'digest', password: 's3cr3t-pw' },
    });
    // EHLO, STARTTLS, EHLO again over TLS, then AUTH.
    expect(tlsServer.commands.slice(0, 4).map((c) => c.split(' ')[0])).toEqual([
      'EHLO',
      'STARTTLS',
      'EHLO',
      'AUTH',
    ]);
    const { headers, parts } = mimeParts(mail.data);
    expect(headers).toContain('Subject: [FinOps]: Burnrate weekly digest, week to Mon 2026-03-30');
    expect(headers).toContain('From: "Burnrate" <burnrate@example.com>');
    expect(headers).toContain('Date: Mon, 30 Mar 2026 07:00:00 +0000');
    expect(headers).toMatch(/Content-Type: multipart\/alternative; boundary="burnrate-[0-9a-f]+"/);
    expect(parts['text/plain']).toContain('Top movers by team');
    expect(parts['text/plain']).toContain('- search: $210.00 (last week $70.00, +$140.00, +200 %)');
    expect(parts['text/plain']).toContain('Quarter to its end');
    expect(parts['text/html']).toContain(
      '<h2 style="font-size:16px;margin:20px 0 6px">Budgets at risk</h2>',
    );
    expect(parts['text/html']).toContain('R&amp;D &lt;planner&gt;');
  });

  it('sends without TLS when told to, undoing nothing but dot-stuffing', async () => {
    const data = 'Subject: dots\r\n\r\n.leading dot\r\n..two\r\nend';
    await sendMail(smtp(plainServer.port), { from: 'a@example.com', to: ['b@example.com'], data });
    const mail = plainServer.mails.at(-1)!;
    expect(mail).toMatchObject({ secure: false, auth: null });
    expect(mail.data).toBe(`${data}\r\n`);
    expect(dotStuff('.a\n.b')).toBe('..a\r\n..b\r\n.\r\n');
  });

  it('refuses to send in clear text when STARTTLS is required but not offered', async () => {
    const err = await sendMail(smtp(plainServer.port, { tls: 'starttls' }), {
      from: 'a@example.com',
      to: ['b@example.com'],
      data: 'x',
    }).catch((e: Error) => e);
    expect(String(err)).toContain('does not offer STARTTLS');
  });

  it('reports a rejected recipient without the password and fails only that channel', async () => {
    const mailChannel: Channel = {
      type: 'email',
      name: 'bad-mail',
      from: 'burnrate@example.com',
      fromName: 'Burnrate',
      to: ['nobody@example.com'],
      subject: null,
      smtp: smtp(plainServer.port, { username: 'u', password: new Secret('hunter2', 'test') }),
    };
    const unreachable: Channel = { ...mailChannel, name: 'down', smtp: smtp(1) };
    const results = await deliverDigest({ channels: [mailChannel, unreachable] }, sampleDigest());
    expect(results[0]).toMatchObject({ channel: 'bad-mail', ok: false });
    expect(results[0].error).toContain('RCPT TO:<nobody@example.com>: server answered 550');
    expect(results[1].error).toMatch(/cannot connect to 127.0.0.1:1: ECONNREFUSED/);
    expect(JSON.stringify(results)).not.toContain('hunter2');
  });
});
