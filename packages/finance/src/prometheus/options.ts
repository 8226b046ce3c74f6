import {
  type ArgValues,
  ConnectionError,
  maskCredentials,
  PROMETHEUS_HEADER_OPTIONS,
  PROMETHEUS_HEADER_USAGE,
  PROMETHEUS_TLS_OPTIONS,
  PROMETHEUS_TLS_USAGE,
  PrometheusClient,
  parsePrometheusHeaders,
  parsePrometheusTls,
  userPassword,
} from '@burnrate/budget-evaluator';

/**
 * The connection flags every `burnrate` command that reads Prometheus shares. The client is the
 * budget evaluator's (one Prometheus API client for both), and so are the names and parsing of
 * the tenant, header and TLS flags; the auth flags are this CLI's own.
 */
export const PROMETHEUS_FLAGS = {
  prometheus: { type: 'string' },
  'prometheus-timeout': { type: 'string' },
  'bearer-token-file': { type: 'string' },
  'basic-auth-file': { type: 'string' },
  ...PROMETHEUS_HEADER_OPTIONS,
  ...PROMETHEUS_TLS_OPTIONS,
} as const;

/** Everything but the URL (the digest takes its URL from its config by default). */
export const CONNECTION_USAGE = `  --prometheus-timeout <seconds>            BURNRATE_PROMETHEUS_TIMEOUT (default 60) per query
  --bearer-token-file <file>                BURNRATE_PROMETHEUS_BEARER_TOKEN (the token itself)
  --basic-auth-file <file>                  BURNRATE_PROMETHEUS_BASIC_AUTH (user:password; the file holds the same)
${PROMETHEUS_HEADER_USAGE}
${PROMETHEUS_TLS_USAGE}`;

export const PROMETHEUS_USAGE = `Prometheus connection (flag, or environment variable):
  --prometheus <url>                        BURNRATE_PROMETHEUS_URL (default http://127.0.0.1:9090)
${CONNECTION_USAGE}`;

export class UsageError extends Error {}

type Values = Partial<Record<keyof typeof PROMETHEUS_FLAGS, ArgValues[string]>>;

/**
 * A client from the shared flags, falling back to BURNRATE_PROMETHEUS_* variables. Secret and
 * certificate files are read here: a bad one is a UsageError naming the flag (never a secret).
 */
export function clientFromArgs(values: Values, env: NodeJS.ProcessEnv): PrometheusClient {
  const str = (k: keyof Values) => {
    const v = values[k];
    return typeof v === 'string' ? v : undefined;
  };
  const url = str('prometheus') ?? env.BURNRATE_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
  if (!/^https?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) {
    throw new UsageError(
      `--prometheus (or BURNRATE_PROMETHEUS_URL): expected an http(s) URL, got "${maskCredentials(url)}"`,
    );
  }
  const timeoutText = str('prometheus-timeout') ?? env.BURNRATE_PROMETHEUS_TIMEOUT ?? '60';
  const timeout = Number(timeoutText.replace(/s$/, ''));
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
    throw new UsageError(
      `--prometheus-timeout (or BURNRATE_PROMETHEUS_TIMEOUT): expected seconds between 1 and 3600, got "${timeoutText}"`,
    );
  }
  // A file flag wins over its variable; the variables hold the secret itself.
  const tokenFile = str('bearer-token-file') || undefined;
  const token = tokenFile ? undefined : env.BURNRATE_PROMETHEUS_BEARER_TOKEN || undefined;
  const basicFile = str('basic-auth-file') || undefined;
  const basicText = basicFile ? undefined : env.BURNRATE_PROMETHEUS_BASIC_AUTH || undefined;
  if ((tokenFile ?? token) !== undefined && (basicFile ?? basicText) !== undefined) {
    throw new UsageError('use either a bearer token or basic auth, not both');
  }
  const basicAuth = basicText === undefined ? undefined : userPassword(basicText);
  if (basicAuth === null) {
    throw new UsageError('BURNRATE_PROMETHEUS_BASIC_AUTH: expected user:password');
  }
  const fail = (message: string) => new UsageError(message);
  const tls = parsePrometheusTls(values, env, fail);
  try {
    return new PrometheusClient({
      url,
      timeoutMs: timeout * 1000,
      connection: {
        ...tls,
        headers: parsePrometheusHeaders(values, env, fail),
        bearerToken: token,
        bearerTokenFile: tokenFile,
        basicAuth,
        basicAuthFile: basicFile,
        names: {
          ...tls.names,
          bearerToken: 'BURNRATE_PROMETHEUS_BEARER_TOKEN',
          bearerTokenFile: '--bearer-token-file',
          basicAuth: 'BURNRATE_PROMETHEUS_BASIC_AUTH',
          basicAuthFile: '--basic-auth-file',
        },
      },
    });
  } catch (err) {
    if (err instanceof ConnectionError) throw new UsageError(err.message);
    throw err;
  }
}
