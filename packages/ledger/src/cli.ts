#!/usr/bin/env node
import { ConfigError, parseFlags, writerConfig } from './config.ts';
import { JsonlSink } from './jsonl-sink.ts';
import { MigrationError, migrate } from './migrate.ts';
import { PostgresSink, type RowSink } from './pg-sink.ts';
import { startWriter } from './server.ts';

const USAGE = `usage:
  burnrate-ledger serve [--listen 127.0.0.1:9465] [--database-url postgres://…] [--jsonl-dir DIR]
                        [--jsonl-max-bytes N] [--pool-size N] [--token T] [--max-body-bytes N]
  burnrate-ledger migrate --database-url postgres://…
Every flag also reads BURNRATE_LEDGER_<FLAG> (e.g. BURNRATE_LEDGER_DATABASE_URL).`;

async function serve(args: string[]): Promise<void> {
  const config = writerConfig(args, process.env);
  const sinks: RowSink[] = [];
  if (config.databaseUrl) sinks.push(new PostgresSink(config.databaseUrl, config.poolSize));
  if (config.jsonlDir) sinks.push(new JsonlSink(config.jsonlDir, config.jsonlMaxBytes));
  const writer = await startWriter({
    host: config.host,
    port: config.port,
    sinks,
    token: config.token,
    maxBodyBytes: config.maxBodyBytes,
    log: (line) => console.error(`[burnrate-ledger] ${line}`),
  });
  console.log(`[burnrate-ledger] listening on ${writer.url}/v1/logs`);
  const stop = () => {
    writer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'serve') return serve(args);
  if (command === 'migrate') {
    const flags = parseFlags(args, ['database-url']);
    const url = flags.get('database-url') ?? process.env.BURNRATE_LEDGER_DATABASE_URL;
    if (!url) throw new ConfigError('--database-url: required (or BURNRATE_LEDGER_DATABASE_URL)');
    const result = await migrate(url);
    console.log(
      `[burnrate-ledger] migrations applied: ${result.applied.join(', ') || 'none'}; already applied: ${result.skipped.join(', ') || 'none'}`,
    );
    return;
  }
  throw new ConfigError(
    `${command ? `command ${JSON.stringify(command)}: unknown` : 'no command'}\n${USAGE}`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError;
  console.error(
    `burnrate-ledger: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}`,
  );
  process.exit(2);
});
