import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  PROMETHEUS_OPTIONS,
  PROMETHEUS_USAGE,
  parsePrometheusArgs,
} from './cli-prometheus-args.ts';
import { parseSecurityArgs, SECURITY_OPTIONS, SECURITY_USAGE } from './cli-security-args.ts';
import { parseDuration } from './config/duration.ts';
import { maskCredentials, type PrometheusConnection } from './query/prometheus-connection.ts';
import type { HttpOptions } from './server/http.ts';

export interface ServeArgs {
  config: string;
  prometheus: string;
  alertmanagers: string[];
  port: number;
  host: string;
  intervalSeconds: number;
  dataGraceSeconds: number;
  dashboardUrl: string | undefined;
  /** The weekly digest's config (scheduled by this service), if any. */
  digestConfig: string | undefined;
  /** Host check, tokens, TLS (cli-security-args.ts). */
  http: HttpOptions;
  /** Headers, auth and TLS towards Prometheus (cli-prometheus-args.ts). */
  prometheusConnection: PrometheusConnection;
}

export class UsageError extends Error {}

export const USAGE = `Usage:
  burnrate-evaluator check <budgets.yaml>
  burnrate-evaluator serve --config <file> --prometheus <url> --alertmanager <url>[,<url>...]
                           [--port 9464] [--host 127.0.0.1] [--interval 30s] [--dashboard-url <template>]
                           [--data-grace 10m] [--digest-config <digest.yaml>]

Every serve flag can come from the environment instead: BURNRATE_CONFIG, BURNRATE_PROMETHEUS_URL,
BURNRATE_ALERTMANAGER_URL, BURNRATE_PORT, BURNRATE_HOST, BURNRATE_INTERVAL, BURNRATE_DASHBOARD_URL,
BURNRATE_DATA_GRACE, BURNRATE_DIGEST_CONFIG. --host defaults to 127.0.0.1 (loopback only): set
--host 0.0.0.0 (BURNRATE_HOST=0.0.0.0) in a container, with tokens or mTLS.

${SECURITY_USAGE}

${PROMETHEUS_USAGE}`;

function source(flag: string, env: string): string {
  return `--${flag} (or ${env})`;
}

function httpUrl(value: string, where: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === 'http:' || u.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  // A password typed into the value is not repeated in the message.
  throw new UsageError(`${where}: expected an http(s) URL, got "${maskCredentials(value)}"`);
}

/** The longest cycle: Node timers overflow past 2^31-1 ms (24.8 days) and would fire at once. */
export const MAX_INTERVAL_SECONDS = 86_400;

/** An IPv4/IPv6 address, or a DNS name (whose digits-and-dots form would be an IPv4 address). */
function isHost(host: string): boolean {
  if (isIP(host)) return true;
  if (/^[\d.]+$/.test(host) || host.includes(':')) return false;
  return /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/.test(
    host,
  );
}

/** Parses `serve` flags, falling back to BURNRATE_* variables; one clear error on bad input. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeArgs {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        prometheus: { type: 'string' },
        alertmanager: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        interval: { type: 'string' },
        'dashboard-url': { type: 'string' },
        'data-grace': { type: 'string' },
        'digest-config': { type: 'string' },
        ...SECURITY_OPTIONS,
        ...PROMETHEUS_OPTIONS,
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const pick = (flag: string, name: string) => {
    const v = values[flag];
    return typeof v === 'string' ? v : env[name];
  };
  const need = (flag: string, name: string) => {
    const v = pick(flag, name);
    if (!v) throw new UsageError(`${source(flag, name)} is required`);
    return v;
  };
  const config = need('config', 'BURNRATE_CONFIG');
  const prometheus = httpUrl(
    need('prometheus', 'BURNRATE_PROMETHEUS_URL'),
    source('prometheus', 'BURNRATE_PROMETHEUS_URL'),
  );
  const amWhere = source('alertmanager', 'BURNRATE_ALERTMANAGER_URL');
  const amText = pick('alertmanager', 'BURNRATE_ALERTMANAGER_URL');
  if (amText === undefined || amText === '') throw new UsageError(`${amWhere} is required`);
  const alertmanagers = amText.split(',').map((s) => {
    const u = s.trim();
    if (!u) throw new UsageError(`${amWhere}: empty item in the list "${amText}"`);
    return httpUrl(u, amWhere);
  });
  const portText = pick('port', 'BURNRATE_PORT') ?? '9464';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new UsageError(
      `${source('port', 'BURNRATE_PORT')}: expected a port number 0-65535, got "${portText}"`,
    );
  }
  const intervalText = pick('interval', 'BURNRATE_INTERVAL') ?? '30s';
  const intervalSeconds = /^\d+$/.test(intervalText)
    ? Number(intervalText)
    : parseDuration(intervalText);
  if (!intervalSeconds || intervalSeconds < 1) {
    throw new UsageError(
      `${source('interval', 'BURNRATE_INTERVAL')}: expected a duration like 30s or 1m, got "${intervalText}"`,
    );
  }
  if (intervalSeconds > MAX_INTERVAL_SECONDS) {
    throw new UsageError(
      `${source('interval', 'BURNRATE_INTERVAL')}: expected at most 24h, got "${intervalText}"`,
    );
  }
  const host = pick('host', 'BURNRATE_HOST') || '127.0.0.1';
  if (!isHost(host)) {
    throw new UsageError(
      `${source('host', 'BURNRATE_HOST')}: expected an IP address or host name, got "${host}"`,
    );
  }
  const graceText = pick('data-grace', 'BURNRATE_DATA_GRACE') ?? '10m';
  const dataGraceSeconds = /^\d+$/.test(graceText) ? Number(graceText) : parseDuration(graceText);
  if (dataGraceSeconds === undefined) {
    throw new UsageError(
      `${source('data-grace', 'BURNRATE_DATA_GRACE')}: expected a duration like 10m or 1h, got "${graceText}"`,
    );
  }
  const dashboardUrl = pick('dashboard-url', 'BURNRATE_DASHBOARD_URL');
  if (dashboardUrl) httpUrl(dashboardUrl, source('dashboard-url', 'BURNRATE_DASHBOARD_URL'));
  return {
    config,
    prometheus,
    alertmanagers,
    port,
    host,
    intervalSeconds,
    dataGraceSeconds,
    dashboardUrl: dashboardUrl || undefined,
    digestConfig: pick('digest-config', 'BURNRATE_DIGEST_CONFIG') || undefined,
    http: parseSecurityArgs(values, env, (m) => new UsageError(m)),
    prometheusConnection: parsePrometheusArgs(values, env, (m) => new UsageError(m)),
  };
}
