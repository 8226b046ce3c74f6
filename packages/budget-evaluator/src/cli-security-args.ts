import type { HttpOptions } from './server/http.ts';

/** `serve` flags of the HTTP surface's security (README "Security"). */
export const SECURITY_OPTIONS = {
  'allowed-hosts': { type: 'string' },
  'read-token-file': { type: 'string' },
  'admin-token-file': { type: 'string' },
  'tls-cert-file': { type: 'string' },
  'tls-key-file': { type: 'string' },
  'tls-client-ca-file': { type: 'string' },
  'tls-client-read-subjects': { type: 'string' },
  'tls-client-admin-subjects': { type: 'string' },
} as const;

export const SECURITY_USAGE = `Security (flag, or environment variable; see the README, "Security"):
  --allowed-hosts <name,...>          BURNRATE_ALLOWED_HOSTS  names the Host header may carry besides IP
                                      addresses, localhost and --host (".example.com": subdomains)
  --read-token-file <file>            BURNRATE_READ_TOKEN_FILE  bearer tokens for reads, one a line
  --admin-token-file <file>           BURNRATE_ADMIN_TOKEN_FILE bearer tokens for everything
  --tls-cert-file/--tls-key-file      BURNRATE_TLS_CERT_FILE, BURNRATE_TLS_KEY_FILE  serve HTTPS
  --tls-client-ca-file <file>         BURNRATE_TLS_CLIENT_CA_FILE  mTLS: verified clients are admins
  --tls-client-read-subjects <cn,...> BURNRATE_TLS_CLIENT_READ_SUBJECTS  ... unless listed here
  --tls-client-admin-subjects <cn,..> BURNRATE_TLS_CLIENT_ADMIN_SUBJECTS  or here`;

type Values = Record<string, string | boolean | string[] | undefined>;
type Fail = (message: string) => Error;

const HOST_NAME =
  /^\.?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** The security part of `serve`'s flags, falling back to BURNRATE_* variables. */
export function parseSecurityArgs(values: Values, env: NodeJS.ProcessEnv, fail: Fail): HttpOptions {
  const pick = (flag: string, name: string) => {
    const v = values[flag];
    return (typeof v === 'string' ? v : undefined) ?? (env[name] || undefined);
  };
  const where = (flag: string, name: string) => `--${flag} (or ${name})`;
  const list = (flag: string, name: string) => {
    const text = pick(flag, name);
    if (text === undefined) return undefined;
    const items = text.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) {
      throw fail(`${where(flag, name)}: empty item in the list "${text}"`);
    }
    return items;
  };
  const allowedHosts = list('allowed-hosts', 'BURNRATE_ALLOWED_HOSTS');
  for (const h of allowedHosts ?? []) {
    if (h !== '*' && !HOST_NAME.test(h) && !/^[0-9a-f:.[\]]+$/i.test(h)) {
      throw fail(`${where('allowed-hosts', 'BURNRATE_ALLOWED_HOSTS')}: "${h}" is not a host name`);
    }
  }
  const certFile = pick('tls-cert-file', 'BURNRATE_TLS_CERT_FILE');
  const keyFile = pick('tls-key-file', 'BURNRATE_TLS_KEY_FILE');
  const clientCaFile = pick('tls-client-ca-file', 'BURNRATE_TLS_CLIENT_CA_FILE');
  const clientReadSubjects = list('tls-client-read-subjects', 'BURNRATE_TLS_CLIENT_READ_SUBJECTS');
  const clientAdminSubjects = list(
    'tls-client-admin-subjects',
    'BURNRATE_TLS_CLIENT_ADMIN_SUBJECTS',
  );
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw fail(
      `${where('tls-cert-file', 'BURNRATE_TLS_CERT_FILE')} and ${where('tls-key-file', 'BURNRATE_TLS_KEY_FILE')}: HTTPS needs both`,
    );
  }
  if (clientCaFile && !certFile) {
    throw fail(
      `${where('tls-client-ca-file', 'BURNRATE_TLS_CLIENT_CA_FILE')}: mTLS needs HTTPS: set --tls-cert-file and --tls-key-file too`,
    );
  }
  if ((clientReadSubjects || clientAdminSubjects) && !clientCaFile) {
    throw fail(
      `${where(clientReadSubjects ? 'tls-client-read-subjects' : 'tls-client-admin-subjects', clientReadSubjects ? 'BURNRATE_TLS_CLIENT_READ_SUBJECTS' : 'BURNRATE_TLS_CLIENT_ADMIN_SUBJECTS')}: subjects need --tls-client-ca-file`,
    );
  }
  return {
    allowedHosts,
    access: {
      readTokenFile: pick('read-token-file', 'BURNRATE_READ_TOKEN_FILE'),
      adminTokenFile: pick('admin-token-file', 'BURNRATE_ADMIN_TOKEN_FILE'),
      clientReadSubjects,
      clientAdminSubjects,
    },
    tls: certFile && keyFile ? { certFile, keyFile, clientCaFile } : undefined,
  };
}
