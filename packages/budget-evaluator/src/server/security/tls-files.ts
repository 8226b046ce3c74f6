import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { SecurityConfigError } from './tokens.ts';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** Client CA: mTLS. Clients are asked for a certificate, verified against it. */
  clientCaFile?: string;
}

export const TLS_FLAG = {
  certFile: '--tls-cert-file (or BURNRATE_TLS_CERT_FILE)',
  keyFile: '--tls-key-file (or BURNRATE_TLS_KEY_FILE)',
  clientCaFile: '--tls-client-ca-file (or BURNRATE_TLS_CLIENT_CA_FILE)',
};

function pem(file: string, where: string, kind: string): Buffer {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new SecurityConfigError(
      `${where}: cannot read "${file}" (${(err as { code?: string }).code ?? 'error'})`,
    );
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(data.toString('latin1'))) {
    throw new SecurityConfigError(`${where}: "${file}" holds no PEM ${kind} (line 1)`);
  }
  return data;
}

/**
 * Reads the server's certificate, key and client CA (at start and on SIGHUP) and checks that
 * they make a context (e.g. the key belongs to the certificate). Throws SecurityConfigError.
 */
export function loadTls(files: TlsFiles): SecureContextOptions {
  const opts: SecureContextOptions = {
    cert: pem(files.certFile, TLS_FLAG.certFile, 'CERTIFICATE'),
    key: pem(files.keyFile, TLS_FLAG.keyFile, 'PRIVATE KEY'),
  };
  if (files.clientCaFile) opts.ca = pem(files.clientCaFile, TLS_FLAG.clientCaFile, 'CERTIFICATE');
  try {
    createSecureContext(opts);
  } catch (err) {
    const reason = (err as { code?: string }).code ?? 'unusable';
    throw new SecurityConfigError(
      `${TLS_FLAG.certFile} and ${TLS_FLAG.keyFile}: "${files.certFile}" and "${files.keyFile}" do not make a TLS context (${reason})`,
    );
  }
  return opts;
}
