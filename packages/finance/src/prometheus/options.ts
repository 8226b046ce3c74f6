import { readFileSync } from 'node:fs';
import { PrometheusClient } from './client.ts';

/** The connection flags every `burnrate` command that reads Prometheus shares. */
export const PROMETHEUS_FLAGS = {
  prometheus: { type: 'string' },
  'prometheus-timeout': { type: 'string' },
  'bearer-token-file': { type: 'string' },
  'basic-auth-file': { type: 'string' },
  'prometheus-tenant': { type: 'string' },
  'prometheus-tenant-header': { type: 'string' },
} as const;

export const PROMETHEUS_USAGE = `Prometheus connection (flag, or environment variable):
  --prometheus <url>                 BURNRATE_PROMETHEUS_URL (default http://127.0.0.1:9090)
  --prometheus-timeout <seconds>     BURNRATE_PROMETHEUS_TIMEOUT (default 60) per query
  --bearer-token-file <file>         BURNRATE_PROMETHEUS_BEARER_TOKEN (the token itself)
  --basic-auth-file <file>           BURNRATE_PROMETHEUS_BASIC_AUTH (user:password; the file holds the same)
  --prometheus-tenant <id>           BURNRATE_PROMETHEUS_TENANT (Mimir/Cortex/Thanos tenant)
  --prometheus-tenant-header <name>  default X-Scope-OrgID`;

export class UsageError extends Error {}

type Values = Partial<Record<keyof typeof PROMETHEUS_FLAGS, string | boolean | undefined>>;

function readSecret(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`${flag}: cannot read "${file}" (${(err as { code?: string }).code})`);
  }
}

/** A client from the shared flags, falling back to BURNRATE_PROMETHEUS_* variables. */
export function clientFromArgs(values: Values, env: NodeJS.ProcessEnv): PrometheusClient {
  const str = (k: keyof Values) =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;
  const url = str('prometheus') ?? env.BURNRATE_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(
      `--prometheus (or BURNRATE_PROMETHEUS_URL): expected an http(s) URL, got "${url}"`,
    );
  }
  const timeoutText = str('prometheus-timeout') ?? env.BURNRATE_PROMETHEUS_TIMEOUT ?? '60';
  const timeout = Number(timeoutText.replace(/s$/, ''));
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
    throw new UsageError(
      `--prometheus-timeout (or BURNRATE_PROMETHEUS_TIMEOUT): expected seconds between 1 and 3600, got "${timeoutText}"`,
    );
  }
  const tokenFile = str('bearer-token-file');
  const bearerToken = tokenFile
    ? readSecret(tokenFile, '--bearer-token-file')
    : env.BURNRATE_PROMETHEUS_BEARER_TOKEN || undefined;
  const basicFile = str('basic-auth-file');
  const basicText = basicFile
    ? readSecret(basicFile, '--basic-auth-file')
    : env.BURNRATE_PROMETHEUS_BASIC_AUTH || undefined;
  let basicAuth: { username: string; password: string } | undefined;
  if (basicText !== undefined) {
    const i = basicText.indexOf(':');
    if (i <= 0) throw new UsageError('basic auth: expected user:password');
    basicAuth = { username: basicText.slice(0, i), password: basicText.slice(i + 1) };
  }
  if (bearerToken && basicAuth)
    throw new UsageError('use either a bearer token or basic auth, not both');
  return new PrometheusClient({
    url,
    timeoutMs: timeout * 1000,
    bearerToken,
    basicAuth,
    tenant: str('prometheus-tenant') ?? env.BURNRATE_PROMETHEUS_TENANT,
    tenantHeader: str('prometheus-tenant-header'),
  });
}
