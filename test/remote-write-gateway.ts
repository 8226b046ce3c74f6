// The remote-write gateway for test/remote-write-auth.test.ts, as Mimir, Cortex or Thanos receive
// are run behind one: mutual TLS, a tenant header and basic or bearer credentials, then the
// body on to the store. Certificates are made at test time with openssl (never committed).
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { run } from './harness/index.ts';

export const TENANT = 'team-finops';
export const USER = 'burnrate';
export const PASSWORD = 'correct horse battery staple';
export const TOKEN = 'rw-token-4f1c9a';

export type Gateway = {
  url: string;
  /** Requests passed on to the store, and their bodies' bytes (snappy-compressed protobuf). */
  accepted: number;
  refused: Record<string, number>;
  bytes: number;
  /** Handshakes TLS refused (no client certificate, plain HTTP), by error message. */
  tlsErrors: string[];
  close(): Promise<void>;
};

/** CA, server (127.0.0.1) and client certificates, made with openssl into `dir`. */
export async function makeCertificates(dir: string): Promise<void> {
  const ssl = async (args: string): Promise<void> => {
    const r = await run('openssl', args.split(' '), { cwd: dir }).catch((err: Error) => {
      throw new Error(`the openssl CLI is needed to make test certificates: ${err.message}`);
    });
    if (r.code !== 0) throw new Error(`openssl ${args}: ${r.stderr}`);
  };
  const key = '-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes';
  await ssl(`req -x509 ${key} -keyout ca.key -out ca.crt -days 1 -subj /CN=burnrate-test-ca`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'collector'],
  ]) {
    await ssl(`req ${key} -keyout ${name}.key -out ${name}.csr -subj /CN=${cn}`);
    await ssl(
      `x509 -req -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out ${name}.crt -days 1 -extfile ${name}.ext`,
    );
  }
}

/**
 * The gateway: mutual TLS (a client certificate from the CA, or no handshake), then the tenant
 * header and basic or bearer credentials, each failure a 401 as Mimir's gateway answers; an
 * accepted body goes on to VictoriaMetrics unchanged.
 */
export async function startGateway(dir: string, store: string): Promise<Gateway> {
  const file = (f: string): Buffer => readFileSync(join(dir, f));
  const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  const gw = {
    accepted: 0,
    refused: {} as Record<string, number>,
    bytes: 0,
    tlsErrors: [] as string[],
  };
  const refuse = (why: string): number => {
    gw.refused[why] = (gw.refused[why] ?? 0) + 1;
    return 401;
  };
  const server: Server = createServer(
    {
      key: file('server.key'),
      cert: file('server.crt'),
      ca: file('ca.crt'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const auth = req.headers.authorization ?? '';
        let status = 0;
        if (req.headers['x-scope-orgid'] !== TENANT) status = refuse('tenant');
        else if (auth !== basic && auth !== `Bearer ${TOKEN}`) status = refuse('credentials');
        else {
          const forwarded = await fetch(store, {
            method: 'POST',
            body,
            headers: {
              'Content-Type': String(req.headers['content-type']),
              'Content-Encoding': String(req.headers['content-encoding']),
              'X-Prometheus-Remote-Write-Version': String(
                req.headers['x-prometheus-remote-write-version'],
              ),
            },
          });
          await forwarded.arrayBuffer();
          status = forwarded.status;
          gw.accepted++;
          gw.bytes += body.length;
        }
        res.writeHead(status).end(status === 401 ? 'unauthorized\n' : '');
      });
    },
  );
  server.on('tlsClientError', (err) => gw.tlsErrors.push(err.message));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gw, {
    url: `https://127.0.0.1:${port}/api/v1/push`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  });
}
