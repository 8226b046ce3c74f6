// Test certificates, made at test time with the openssl CLI in a temp dir (no key is committed).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertFiles {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  /** The CA that signed the server and the `client`/`reader` certificates. */
  ca: string;
  /** A server certificate for 127.0.0.1 and localhost. */
  server: CertFiles;
  /** A second server certificate (same names, other key): a rotation. */
  server2: CertFiles;
  /** Client certificates: CN=ops-admin, CN=dashboard-reader. */
  client: CertFiles;
  reader: CertFiles;
  /** A client certificate from another CA (CN=ops-admin too): must not be trusted. */
  rogue: CertFiles;
  read: (file: string) => Buffer;
  remove: () => void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ca(dir: string, name: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '2',
    ].concat(['-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]),
    dir,
  );
}

function leaf(dir: string, caName: string, name: string, cn: string, server: boolean): CertFiles {
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    server
      ? 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'
      : 'extendedKeyUsage=clientAuth\n',
  );
  openssl(
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
    ].concat(['-keyout', `${name}.key`, '-out', `${name}.csr`]),
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${caName}.crt`,
      '-CAkey',
      `${caName}.key`,
    ].concat(['-CAcreateserial', '-days', '2', '-extfile', ext, '-out', `${name}.crt`]),
    dir,
  );
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

/** Makes a CA, server and client certificates (ECDSA P-256, valid 2 days). Needs `openssl`. */
export function makeTestPki(): TestPki {
  if (spawnSync('openssl', ['version']).status !== 0) {
    throw new Error(
      'the openssl CLI is needed to make test certificates (apt-get install openssl)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'burnrate-pki-'));
  ca(dir, 'ca');
  ca(dir, 'rogue-ca');
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    server: leaf(dir, 'ca', 'server', 'burnrate-evaluator', true),
    server2: leaf(dir, 'ca', 'server2', 'burnrate-evaluator', true),
    client: leaf(dir, 'ca', 'client', 'ops-admin', false),
    reader: leaf(dir, 'ca', 'reader', 'dashboard-reader', false),
    rogue: leaf(dir, 'rogue-ca', 'rogue', 'ops-admin', false),
    read: (file) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
