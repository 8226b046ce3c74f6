// A multipart/alternative e-mail (plain text + HTML), UTF-8, base64 bodies, CRLF line ends.
import { randomBytes } from 'node:crypto';

export interface MailContent {
  from: string;
  fromName: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  date: Date;
  /** Host part for the Message-ID. */
  domain?: string;
}

/** RFC 2047 encoded word when the text is not plain ASCII. */
export function encodeHeader(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function base64Lines(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** RFC 5322 date, e.g. "Mon, 30 Mar 2026 07:00:00 +0000". */
export function rfc5322Date(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function mailbox(name: string, address: string): string {
  const safe = /^[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~.]*$/.test(name) ? `"${name}"` : encodeHeader(name);
  return name ? `${safe} <${address}>` : `<${address}>`;
}

/** The whole message as sent after DATA (before dot-stuffing). */
export function buildMessage(m: MailContent): string {
  const boundary = `burnrate-${randomBytes(12).toString('hex')}`;
  const domain = m.domain ?? m.from.split('@')[1] ?? 'localhost';
  const headers = [
    `From: ${mailbox(m.fromName, m.from)}`,
    `To: ${m.to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: <${randomBytes(16).toString('hex')}@${domain}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join('\r\n');
  return [
    ...headers,
    '',
    'This is a multipart message in MIME format.',
    part('text/plain', m.text),
    part('text/html', m.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
