// A local SMTP server for tests: EHLO, STARTTLS (with a test certificate), AUTH PLAIN/LOGIN,
// MAIL, RCPT, DATA (recorded, dot-stuffing undone), QUIT.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  secure: boolean;
  auth: { user: string; password: string } | null;
}

export interface SmtpTestServer {
  port: number;
  mails: ReceivedMail[];
  /** Every command line received (AUTH arguments included: tests check them). */
  commands: string[];
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost (openssl). */
export function testCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-smtp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSmtpServer(
  opts: { tls?: { key: string; cert: string }; rejectRecipient?: string } = {},
): Promise<SmtpTestServer> {
  const mails: ReceivedMail[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    let socket: Socket = raw;
    let buffer = '';
    let secure = false;
    let inData = false;
    let data = '';
    let pendingLogin: 'user' | 'password' | null = null;
    let loginUser = '';
    let mail: ReceivedMail = { from: '', to: [], data: '', secure: false, auth: null };
    let auth: ReceivedMail['auth'] = null;
    const send = (line: string) => socket.write(`${line}\r\n`);
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          mails.push({ ...mail, data, secure, auth });
          mail = { from: '', to: [], data: '', secure: false, auth: null };
          return send('250 2.0.0 queued');
        }
        data += `${line.startsWith('.') ? line.slice(1) : line}\r\n`;
        return;
      }
      commands.push(line);
      if (pendingLogin === 'user') {
        loginUser = Buffer.from(line, 'base64').toString();
        pendingLogin = 'password';
        return send('334 UGFzc3dvcmQ6');
      }
      if (pendingLogin === 'password') {
        auth = { user: loginUser, password: Buffer.from(line, 'base64').toString() };
        pendingLogin = null;
        return send('235 2.7.0 ok');
      }
      const [verb = '', ...rest] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO': {
          const caps = ['250-test.local greets you', '250-8BITMIME'];
          if (opts.tls && !secure) caps.push('250-STARTTLS');
          caps.push('250 AUTH PLAIN LOGIN');
          return socket.write(`${caps.join('\r\n')}\r\n`);
        }
        case 'STARTTLS': {
          if (!opts.tls) return send('502 not here');
          send('220 2.0.0 go ahead');
          raw.removeListener('data', onData);
          socket = new TLSSocket(raw, { isServer: true, key: opts.tls.key, cert: opts.tls.cert });
          socket.on('data', onData);
          socket.on('error', () => undefined);
          secure = true;
          return;
        }
        case 'AUTH': {
          if (rest[0]?.toUpperCase() === 'LOGIN') {
            pendingLogin = 'user';
            return send('334 VXNlcm5hbWU6');
          }
          const [, user, password] = Buffer.from(rest[1] ?? '', 'base64')
            .toString()
            .split('\0');
          auth = { user: user ?? '', password: password ?? '' };
          return send('235 2.7.0 ok');
        }
        case 'MAIL':
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          return send('250 2.1.0 ok');
        case 'RCPT': {
          const to = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (to === opts.rejectRecipient) return send('550 5.1.1 no such user');
          mail.to.push(to);
          return send('250 2.1.5 ok');
        }
        case 'DATA':
          inData = true;
          data = '';
          return send('354 end with .');
        case 'QUIT':
          send('221 2.0.0 bye');
          return socket.end();
        default:
          return send('500 unknown command');
      }
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i = buffer.indexOf('\r\n');
      while (i >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
        i = buffer.indexOf('\r\n');
      }
    };
    raw.on('data', onData);
    raw.on('error', () => undefined);
    send('220 test.local ESMTP ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    mails,
    commands,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The decoded parts of a multipart message, by content type. */
export function mimeParts(data: string): { headers: string; parts: Record<string, string> } {
  const [headers, ...rest] = data.split('\r\n\r\n');
  const boundary = /boundary="([^"]+)"/.exec(headers)?.[1] ?? '';
  const body = rest.join('\r\n\r\n');
  const parts: Record<string, string> = {};
  for (const chunk of body.split(`--${boundary}`).slice(1, -1)) {
    const [h, ...b] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
    const type = /Content-Type: ([^;\r\n]+)/.exec(h)?.[1] ?? '';
    parts[type] = Buffer.from(b.join('').replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, parts };
}
