// A small SMTP client on node:net / node:tls (RFC 5321): EHLO, optional STARTTLS or implicit
// TLS, AUTH PLAIN or LOGIN, MAIL/RCPT/DATA with dot-stuffing. Never logs or reports secrets.
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { SmtpSettings } from './config.ts';

export class SmtpError extends Error {
  /** The reply code, or 0 for a connection problem. */
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'SmtpError';
    this.code = code;
  }
}

interface Reply {
  code: number;
  lines: string[];
}

class Connection {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private lines: string[] = [];
  private replies: Reply[] = [];
  private waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk.toString('latin1'));
  private readonly onFail = (err: Error) => this.fail(err);

  constructor(socket: Socket | TLSSocket, timeoutMs: number) {
    this.socket = socket;
    this.listen(socket, timeoutMs);
  }

  private listen(socket: Socket | TLSSocket, timeoutMs: number) {
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new SmtpError(0, `no answer within ${timeoutMs / 1000} s`)),
    );
    socket.on('data', this.onData);
    socket.on('error', this.onFail);
    socket.on('close', () => this.fail(new SmtpError(0, 'the server closed the connection')));
  }

  private receive(text: string) {
    this.buffer += text;
    let i = this.buffer.indexOf('\n');
    while (i >= 0) {
      const line = this.buffer.slice(0, i).replace(/\r$/, '');
      this.buffer = this.buffer.slice(i + 1);
      this.lines.push(line.slice(4));
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)) || 0, lines: this.lines };
        this.lines = [];
        const w = this.waiting.shift();
        if (w) w.resolve(reply);
        else this.replies.push(reply);
      }
      i = this.buffer.indexOf('\n');
    }
  }

  private fail(err: Error) {
    if (!this.failure) this.failure = err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }

  read(): Promise<Reply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  write(text: string) {
    this.socket.write(text);
  }

  /** Sends `line` and expects one of `codes`; `shown` is what errors say was sent. */
  async command(line: string, codes: number[], shown = line): Promise<Reply> {
    this.write(`${line}\r\n`);
    return this.expect(codes, shown);
  }

  async expect(codes: number[], what: string): Promise<Reply> {
    const reply = await this.read();
    if (!codes.includes(reply.code)) {
      throw new SmtpError(
        reply.code,
        `${what}: server answered ${reply.code} ${reply.lines.join(' ')}`,
      );
    }
    return reply;
  }

  /** Upgrades the connection to TLS (after a 220 to STARTTLS). */
  async upgrade(host: string, ca: string | null, timeoutMs: number): Promise<void> {
    const plain = this.socket;
    plain.off('data', this.onData);
    plain.off('error', this.onFail);
    plain.removeAllListeners('close');
    plain.setTimeout(0);
    const secure = tlsConnect({ socket: plain, host, servername: sni(host), ca: ca ?? undefined });
    await secureReady(secure);
    this.socket = secure;
    this.listen(secure, timeoutMs);
  }

  close() {
    this.socket.removeAllListeners('close');
    this.socket.end();
    this.socket.destroy();
  }
}

/** SNI must be a host name, never an IP address (RFC 6066). */
function sni(host: string): string | undefined {
  return isIP(host) ? undefined : host;
}

function secureReady(socket: TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', (err) => reject(new SmtpError(0, `TLS: ${err.message}`)));
  });
}

function open(s: SmtpSettings): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) =>
      reject(
        new SmtpError(
          0,
          `cannot connect to ${s.host}:${s.port}: ${(err as { code?: string }).code ?? err.message}`,
        ),
      );
    if (s.tls === 'implicit') {
      const socket = tlsConnect({
        host: s.host,
        port: s.port,
        servername: sni(s.host),
        ca: s.ca ?? undefined,
      });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', fail);
    } else {
      const socket = netConnect({ host: s.host, port: s.port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', fail);
    }
  });
}

/** Doubles a leading dot on every line and ends the data with CRLF.CRLF. */
export function dotStuff(data: string): string {
  const crlf = data.replace(/\r?\n/g, '\r\n');
  const stuffed = crlf.replace(/^\./, '..').replace(/\r\n\./g, '\r\n..');
  return `${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** Sends one message; resolves when the server accepted it (250 after DATA). */
export async function sendMail(
  s: SmtpSettings,
  msg: { from: string; to: string[]; data: string },
): Promise<void> {
  const socket = await open(s);
  const c = new Connection(socket, s.timeoutMs);
  try {
    await c.expect([220], 'greeting');
    let ehlo = await c.command(`EHLO ${s.helloName}`, [250]);
    const offers = (word: string) =>
      ehlo.lines.some((l) => l.toUpperCase().split(/[\s=]/)[0] === word);
    if (s.tls === 'starttls') {
      if (!offers('STARTTLS'))
        throw new SmtpError(
          0,
          `${s.host} does not offer STARTTLS (set tls: none to send unencrypted)`,
        );
      await c.command('STARTTLS', [220]);
      await c.upgrade(s.host, s.ca, s.timeoutMs);
      ehlo = await c.command(`EHLO ${s.helloName}`, [250]);
    }
    if (s.username) {
      const auth = ehlo.lines.find((l) => l.toUpperCase().startsWith('AUTH'))?.toUpperCase() ?? '';
      const password = s.password?.reveal() ?? '';
      if (/\bPLAIN\b/.test(auth)) {
        await c.command(`AUTH PLAIN ${b64(`\0${s.username}\0${password}`)}`, [235], 'AUTH PLAIN');
      } else if (/\bLOGIN\b/.test(auth)) {
        await c.command('AUTH LOGIN', [334]);
        await c.command(b64(s.username), [334], 'AUTH LOGIN user name');
        await c.command(b64(password), [235], 'AUTH LOGIN password');
      } else {
        throw new SmtpError(
          0,
          `${s.host} offers no AUTH PLAIN or LOGIN${s.tls === 'none' ? ' (servers often offer AUTH only after STARTTLS)' : ''}`,
        );
      }
    }
    await c.command(`MAIL FROM:<${msg.from}>`, [250]);
    for (const to of msg.to) await c.command(`RCPT TO:<${to}>`, [250, 251]);
    await c.command('DATA', [354]);
    c.write(dotStuff(msg.data));
    await c.expect([250], 'end of DATA');
    await c.command('QUIT', [221]).catch(() => undefined);
  } finally {
    c.close();
  }
}
