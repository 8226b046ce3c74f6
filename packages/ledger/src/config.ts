/** The writer's settings, from flags (`--listen`) or environment variables (`BURNRATE_LEDGER_LISTEN`). */
export interface WriterConfig {
  host: string;
  port: number;
  databaseUrl?: string;
  poolSize: number;
  jsonlDir?: string;
  jsonlMaxBytes: number;
  token?: string;
  maxBodyBytes: number;
}

export class ConfigError extends Error {}

const FIELDS = {
  listen: 'BURNRATE_LEDGER_LISTEN',
  'database-url': 'BURNRATE_LEDGER_DATABASE_URL',
  'pool-size': 'BURNRATE_LEDGER_POOL_SIZE',
  'jsonl-dir': 'BURNRATE_LEDGER_JSONL_DIR',
  'jsonl-max-bytes': 'BURNRATE_LEDGER_JSONL_MAX_BYTES',
  token: 'BURNRATE_LEDGER_TOKEN',
  'max-body-bytes': 'BURNRATE_LEDGER_MAX_BODY_BYTES',
} as const;
type Field = keyof typeof FIELDS;

/** `--name value` / `--name=value` flags, each one a known field. */
export function parseFlags(args: string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new ConfigError(`argument ${JSON.stringify(args[i])}: expected --flag value`);
    if (!known.includes(m[1]))
      throw new ConfigError(
        `--${m[1]}: unknown flag (known: ${known.map((k) => `--${k}`).join(', ')})`,
      );
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new ConfigError(`--${m[1]}: missing value`);
    out.set(m[1], value);
  }
  return out;
}

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n <= 0)
    throw new ConfigError(`${name}: expected a positive whole number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Flags win over the environment; a bad value throws one ConfigError naming the flag or variable. */
export function writerConfig(args: string[], env: NodeJS.ProcessEnv): WriterConfig {
  const flags = parseFlags(args, Object.keys(FIELDS));
  const get = (f: Field): [string, string] | undefined => {
    const flag = flags.get(f);
    if (flag !== undefined) return [`--${f}`, flag];
    const v = env[FIELDS[f]];
    return v !== undefined && v !== '' ? [FIELDS[f], v] : undefined;
  };
  const listen = get('listen') ?? ['--listen', '127.0.0.1:9465'];
  const m = /^(.*):(\d{1,5})$/.exec(listen[1]);
  if (!m || Number(m[2]) > 65535)
    throw new ConfigError(`${listen[0]}: expected host:port, got ${JSON.stringify(listen[1])}`);
  const config: WriterConfig = {
    host: m[1].replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: Number(m[2]),
    poolSize: 4,
    jsonlMaxBytes: 256 * 1024 * 1024,
    maxBodyBytes: 32 * 1024 * 1024,
  };
  const db = get('database-url');
  if (db) {
    if (!/^postgres(ql)?:\/\//.test(db[1]))
      throw new ConfigError(`${db[0]}: expected a postgres:// or postgresql:// URL`);
    config.databaseUrl = db[1];
  }
  const pool = get('pool-size');
  if (pool) config.poolSize = positiveInt(pool[0], pool[1]);
  const dir = get('jsonl-dir');
  if (dir) config.jsonlDir = dir[1];
  const max = get('jsonl-max-bytes');
  if (max) config.jsonlMaxBytes = positiveInt(max[0], max[1]);
  const body = get('max-body-bytes');
  if (body) config.maxBodyBytes = positiveInt(body[0], body[1]);
  const token = get('token');
  if (token) {
    if (/\s/.test(token[1])) throw new ConfigError(`${token[0]}: must not contain white space`);
    config.token = token[1];
  }
  if (!config.databaseUrl && !config.jsonlDir)
    throw new ConfigError(
      'no sink: set --database-url (BURNRATE_LEDGER_DATABASE_URL) and/or --jsonl-dir (BURNRATE_LEDGER_JSONL_DIR)',
    );
  return config;
}
