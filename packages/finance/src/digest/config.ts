// The digest's YAML config: one clear error naming file, line, column and field.
import { readFileSync } from 'node:fs';
import { ConfigError, type PathKey, readConfigText, YamlSource } from '@burnrate/budget-evaluator';
import { digestSchema, type RawDigestConfig } from './config-schema.ts';
import { parseSchedule, type Schedule } from './schedule.ts';
import { resolveSecret, type Secret, type SecretRef } from './secret.ts';

/** A digest config error: `file:line:column: field: problem`, located as the budgets file's are. */
export class DigestConfigError extends ConfigError {
  constructor(file: string, line: number, column: number, field: string, problem: string) {
    super(file, line, column, field, problem);
    this.name = 'DigestConfigError';
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  tls: 'starttls' | 'implicit' | 'none';
  username: string | null;
  password: Secret | null;
  /** PEM text of extra trusted CAs (ca_file). */
  ca: string | null;
  helloName: string;
  timeoutMs: number;
}

export type Channel =
  | { type: 'slack'; name: string; url: Secret; timeoutMs: number }
  | {
      type: 'webhook';
      name: string;
      url: Secret;
      headers: Record<string, Secret>;
      timeoutMs: number;
    }
  | {
      type: 'email';
      name: string;
      from: string;
      fromName: string;
      to: string[];
      subject: string | null;
      smtp: SmtpSettings;
    };

export interface DigestConfig {
  file: string;
  schedule: Schedule;
  timeZone: string;
  prometheusUrl: string | null;
  dashboardUrl: string | null;
  top: number;
  atRisk: { utilization: number; forecast: number };
  jump: { ratio: number; minUsd: number };
  channels: Channel[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

/** Parses digest YAML text; throws DigestConfigError on the first problem. */
export function parseDigestConfig(
  text: string,
  file: string,
  opts: LoadOptions = {},
): DigestConfig {
  const at = new YamlSource(text, file, DigestConfigError);
  const parsed = digestSchema.safeParse(at.data, { reportInput: true });
  if (!parsed.success) throw at.issueError(parsed.error);
  return normalise(parsed.data, at, opts);
}

/** Reads and parses a digest config file; an unreadable file is a DigestConfigError too. */
export function loadDigestConfig(file: string, opts: LoadOptions = {}): DigestConfig {
  return parseDigestConfig(readConfigText(file, DigestConfigError), file, opts);
}

function normalise(
  raw: RawDigestConfig,
  at: YamlSource<DigestConfigError>,
  opts: LoadOptions,
): DigestConfig {
  const env = opts.env ?? process.env;
  const secret = (ref: SecretRef, path: PathKey[]): Secret => {
    const s = resolveSecret(ref, env, opts.readFile);
    if (typeof s === 'string') throw at.error(path, s);
    return s;
  };
  const seen = new Set<string>();
  const channels = raw.channels.map((c, i): Channel => {
    const name = c.name ?? `${c.type}-${i + 1}`;
    if (seen.has(name)) throw at.error(['channels', i, 'name'], `duplicate channel name "${name}"`);
    seen.add(name);
    const base = ['channels', i];
    const timeoutMs = (('timeout_seconds' in c ? c.timeout_seconds : undefined) ?? 30) * 1000;
    if (c.type === 'slack') {
      return {
        type: 'slack',
        name,
        url: secret(c.webhook_url, [...base, 'webhook_url']),
        timeoutMs,
      };
    }
    if (c.type === 'webhook') {
      const headers: Record<string, Secret> = {};
      for (const [h, ref] of Object.entries(c.headers ?? {})) {
        headers[h] = secret(ref, [...base, 'headers', h]);
      }
      return { type: 'webhook', name, url: secret(c.url, [...base, 'url']), headers, timeoutMs };
    }
    const s = c.smtp;
    const tls = s.tls ?? 'starttls';
    let ca: string | null = null;
    if (s.ca_file) {
      try {
        ca = (opts.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(s.ca_file);
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error';
        throw at.error([...base, 'smtp', 'ca_file'], `cannot read ${s.ca_file} (${code})`);
      }
    }
    if (s.password && !s.username) {
      throw at.error([...base, 'smtp', 'password'], 'a password needs smtp.username');
    }
    return {
      type: 'email',
      name,
      from: c.from,
      fromName: c.from_name ?? 'Burnrate',
      to: c.to,
      subject: c.subject ?? null,
      smtp: {
        host: s.host,
        port: s.port ?? (tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25),
        tls,
        username: s.username ?? null,
        password: s.password ? secret(s.password, [...base, 'smtp', 'password']) : null,
        ca,
        helloName: s.hello_name ?? 'localhost',
        timeoutMs: (s.timeout_seconds ?? 30) * 1000,
      },
    };
  });
  const schedule = parseSchedule(raw.schedule);
  if (typeof schedule === 'string') throw at.error(['schedule'], schedule); // validated above
  return {
    file: at.file,
    schedule,
    timeZone: raw.timezone ?? 'UTC',
    prometheusUrl: raw.prometheus_url ?? null,
    dashboardUrl: raw.dashboard_url ?? null,
    top: raw.top ?? 5,
    atRisk: {
      utilization: raw.budgets_at_risk?.utilization ?? 0.8,
      forecast: raw.budgets_at_risk?.forecast ?? 1,
    },
    jump: { ratio: raw.spend_jump?.ratio ?? 1.5, minUsd: raw.spend_jump?.min_usd ?? 1 },
    channels,
  };
}
