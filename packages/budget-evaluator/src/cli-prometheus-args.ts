import {
  type ConnectionError,
  checkHeader,
  type PrometheusConnection,
} from './query/prometheus-connection.ts';

/** Flags of the headers sent to Prometheus: a tenant (and its header), any other header. */
export const PROMETHEUS_HEADER_OPTIONS = {
  'prometheus-tenant': { type: 'string' },
  'prometheus-tenant-header': { type: 'string' },
  'prometheus-header': { type: 'string', multiple: true },
} as const;

/** Flags of TLS towards Prometheus: a CA, a client certificate. */
export const PROMETHEUS_TLS_OPTIONS = {
  'prometheus-ca-file': { type: 'string' },
  'prometheus-cert-file': { type: 'string' },
  'prometheus-key-file': { type: 'string' },
  'prometheus-insecure-skip-verify': { type: 'boolean' },
} as const;

/** `serve` flags of the connection to Prometheus (or Mimir, Cortex, Thanos, VictoriaMetrics). */
export const PROMETHEUS_OPTIONS = {
  ...PROMETHEUS_HEADER_OPTIONS,
  'prometheus-basic-auth-user': { type: 'string' },
  'prometheus-basic-auth-password-file': { type: 'string' },
  'prometheus-bearer-token-file': { type: 'string' },
  ...PROMETHEUS_TLS_OPTIONS,
} as const;

export const PROMETHEUS_HEADER_USAGE = `  --prometheus-tenant <id>                  BURNRATE_PROMETHEUS_TENANT  sent as X-Scope-OrgID
  --prometheus-tenant-header <name>         BURNRATE_PROMETHEUS_TENANT_HEADER  instead of X-Scope-OrgID
  --prometheus-header "Name: value"         BURNRATE_PROMETHEUS_HEADERS (";"-separated)  repeatable`;

export const PROMETHEUS_TLS_USAGE = `  --prometheus-ca-file <file>               BURNRATE_PROMETHEUS_CA_FILE
  --prometheus-cert-file/--prometheus-key-file  BURNRATE_PROMETHEUS_CERT_FILE/_KEY_FILE (client cert)
  --prometheus-insecure-skip-verify         BURNRATE_PROMETHEUS_INSECURE_SKIP_VERIFY=true (discouraged)`;

export const PROMETHEUS_USAGE = `Prometheus connection (flag, or environment variable):
${PROMETHEUS_HEADER_USAGE}
  --prometheus-basic-auth-user <user>       BURNRATE_PROMETHEUS_BASIC_AUTH_USER
  --prometheus-basic-auth-password-file <f> BURNRATE_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE
  --prometheus-bearer-token-file <file>     BURNRATE_PROMETHEUS_BEARER_TOKEN_FILE
${PROMETHEUS_TLS_USAGE}`;

export type ArgValues = Record<string, string | boolean | string[] | undefined>;
export type Fail = (message: string) => Error;

const where = (flag: string, env: string) => `--${flag} (or ${env})`;

/** The flag's value, else the variable's (an empty one is unset). */
function picker(values: ArgValues, env: NodeJS.ProcessEnv) {
  return (flag: string, name: string) => {
    const v = values[flag];
    return (typeof v === 'string' ? v : undefined) ?? (env[name] || undefined);
  };
}

/** The headers of {@link PROMETHEUS_HEADER_OPTIONS}, checked; the tenant's last. */
export function parsePrometheusHeaders(
  values: ArgValues,
  env: NodeJS.ProcessEnv,
  fail: Fail,
): Record<string, string> {
  const pick = picker(values, env);
  const headers: Record<string, string> = {};
  const check = (name: string, value: string, at: string) => {
    try {
      checkHeader(name, value, at);
    } catch (err) {
      throw fail((err as ConnectionError).message);
    }
  };
  const add = (item: string, at: string) => {
    const i = item.indexOf(':');
    const name = item.slice(0, i).trim();
    const value = item.slice(i + 1).trim();
    if (i <= 0 || value === '') throw fail(`${at}: expected "Name: value", got "${item}"`);
    check(name, value, at);
    headers[name] = value;
  };
  const flagHeaders = values['prometheus-header'];
  const headerWhere = where('prometheus-header', 'BURNRATE_PROMETHEUS_HEADERS');
  if (Array.isArray(flagHeaders)) for (const h of flagHeaders) add(h, headerWhere);
  else if (env.BURNRATE_PROMETHEUS_HEADERS) {
    for (const h of env.BURNRATE_PROMETHEUS_HEADERS.split(';')) if (h.trim()) add(h, headerWhere);
  }
  const tenant = pick('prometheus-tenant', 'BURNRATE_PROMETHEUS_TENANT');
  const tenantHeader = pick('prometheus-tenant-header', 'BURNRATE_PROMETHEUS_TENANT_HEADER');
  if (tenantHeader !== undefined) {
    check(tenantHeader, '', where('prometheus-tenant-header', 'BURNRATE_PROMETHEUS_TENANT_HEADER'));
  }
  if (tenant !== undefined) {
    const tenantWhere = where('prometheus-tenant', 'BURNRATE_PROMETHEUS_TENANT');
    add(`${tenantHeader ?? 'X-Scope-OrgID'}: ${tenant}`, tenantWhere);
  }
  return headers;
}

/** The TLS settings of {@link PROMETHEUS_TLS_OPTIONS}; files are read later (PrometheusClient). */
export function parsePrometheusTls(
  values: ArgValues,
  env: NodeJS.ProcessEnv,
  fail: Fail,
): PrometheusConnection {
  const pick = picker(values, env);
  const skipText =
    values['prometheus-insecure-skip-verify'] === true
      ? 'true'
      : env.BURNRATE_PROMETHEUS_INSECURE_SKIP_VERIFY;
  if (skipText !== undefined && skipText !== '' && !['true', 'false'].includes(skipText)) {
    throw fail(
      `${where('prometheus-insecure-skip-verify', 'BURNRATE_PROMETHEUS_INSECURE_SKIP_VERIFY')}: expected true or false, got "${skipText}"`,
    );
  }
  return {
    caFile: pick('prometheus-ca-file', 'BURNRATE_PROMETHEUS_CA_FILE'),
    certFile: pick('prometheus-cert-file', 'BURNRATE_PROMETHEUS_CERT_FILE'),
    keyFile: pick('prometheus-key-file', 'BURNRATE_PROMETHEUS_KEY_FILE'),
    insecureSkipVerify: skipText === 'true',
    names: {
      caFile: where('prometheus-ca-file', 'BURNRATE_PROMETHEUS_CA_FILE'),
      certFile: where('prometheus-cert-file', 'BURNRATE_PROMETHEUS_CERT_FILE'),
      keyFile: where('prometheus-key-file', 'BURNRATE_PROMETHEUS_KEY_FILE'),
    },
  };
}

/** The connection part of `serve`'s flags; files are read later (PrometheusClient). */
export function parsePrometheusArgs(
  values: ArgValues,
  env: NodeJS.ProcessEnv,
  fail: Fail,
): PrometheusConnection {
  const pick = picker(values, env);
  const headers = parsePrometheusHeaders(values, env, fail);
  const user = pick('prometheus-basic-auth-user', 'BURNRATE_PROMETHEUS_BASIC_AUTH_USER');
  const passwordFile = pick(
    'prometheus-basic-auth-password-file',
    'BURNRATE_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE',
  );
  const userWhere = where('prometheus-basic-auth-user', 'BURNRATE_PROMETHEUS_BASIC_AUTH_USER');
  const passWhere = where(
    'prometheus-basic-auth-password-file',
    'BURNRATE_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE',
  );
  if ((user === undefined) !== (passwordFile === undefined)) {
    throw fail(`${userWhere} and ${passWhere}: basic auth needs both`);
  }
  const tls = parsePrometheusTls(values, env, fail);
  return {
    ...tls,
    headers,
    basicAuth: user && passwordFile ? { username: user, passwordFile } : undefined,
    bearerTokenFile: pick('prometheus-bearer-token-file', 'BURNRATE_PROMETHEUS_BEARER_TOKEN_FILE'),
    names: {
      ...tls.names,
      basicAuth: passWhere,
      bearerTokenFile: where(
        'prometheus-bearer-token-file',
        'BURNRATE_PROMETHEUS_BEARER_TOKEN_FILE',
      ),
    },
  };
}
