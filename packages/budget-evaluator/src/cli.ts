#!/usr/bin/env node
import { parseServeArgs, USAGE, UsageError } from './cli-args.ts';
import { ConfigError, loadConfigFile } from './config/load.ts';
import { ConnectionError } from './query/prometheus-connection.ts';
import { startDigest } from './server/digest.ts';
import { BudgetEvaluator } from './server/evaluator.ts';
import { type EvaluatorServer, startEvaluatorServer } from './server/http.ts';
import { jsonLogger } from './server/log.ts';
import { SecurityConfigError } from './server/security/tokens.ts';

async function serve(argv: string[]): Promise<void> {
  const args = parseServeArgs(argv, process.env);
  const evaluator = new BudgetEvaluator({
    configFile: args.config,
    prometheusUrl: args.prometheus,
    prometheusConnection: args.prometheusConnection,
    alertmanagerUrls: args.alertmanagers,
    intervalSeconds: args.intervalSeconds,
    dataGraceSeconds: args.dataGraceSeconds,
    dashboardUrl: args.dashboardUrl,
    log: jsonLogger,
  });
  // The weekly digest, when configured (same Prometheus unless its file names another): a bad
  // digest file stops the start here, before anything listens.
  const stopDigest = args.digestConfig
    ? await startDigest(args.digestConfig, args.prometheus, jsonLogger, args.prometheusConnection)
    : undefined;
  // From here on a SIGTERM stops whatever has started (e.g. the digest, while the port opens).
  let http: EvaluatorServer | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    jsonLogger('info', 'shutting down', { signal });
    await evaluator.stop();
    await stopDigest?.();
    await http?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (args.prometheusConnection.insecureSkipVerify) {
    jsonLogger('warn', 'Prometheus TLS certificates are NOT verified (insecure-skip-verify)', {});
  }
  http = await startEvaluatorServer(evaluator, args.port, args.host, {
    ...args.http,
    log: jsonLogger,
  }).catch((err: unknown) => {
    const code = (err as { code?: string }).code ?? '';
    // The address cannot be resolved or is not this machine's: a bad --host.
    if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EADDRNOTAVAIL'].includes(code)) {
      throw new UsageError(`--host (or BURNRATE_HOST): cannot listen on "${args.host}" (${code})`);
    }
    throw err;
  });
  jsonLogger('info', 'burnrate budget evaluator started', {
    host: args.host,
    port: http.port,
    tls: Boolean(args.http.tls),
    mtls: Boolean(args.http.tls?.clientCaFile),
    auth: http.authenticated,
    budgets: evaluator.budgetConfig.budgets.length,
    intervalSeconds: args.intervalSeconds,
  });
  if (stopping) return;
  evaluator.start();
  const server = http;
  // Budgets, token files, TLS certificates and Prometheus secrets (logged by reloadAll).
  process.on('SIGHUP', () => {
    jsonLogger('info', 'SIGHUP: reloading', {});
    server.reload();
  });
}

function check(file: string | undefined): void {
  if (!file) throw new UsageError('check needs a file: burnrate-evaluator check budgets.yaml');
  const cfg = loadConfigFile(file);
  process.stdout.write(
    `${file}: ok, ${cfg.budgets.length} budget${cfg.budgets.length === 1 ? '' : 's'}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === 'check') check(rest[0]);
    else if (command === 'serve') await serve(rest);
    else if (command === 'help' || command === '--help' || command === '-h')
      process.stdout.write(`${USAGE}\n`);
    else throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof SecurityConfigError ||
      err instanceof ConnectionError
    ) {
      process.stderr.write(`burnrate-evaluator: ${err.message}\n`);
      process.exit(1);
    }
    if (err instanceof UsageError) {
      process.stderr.write(`burnrate-evaluator: ${err.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    const code = (err as { code?: string }).code;
    process.stderr.write(
      `burnrate-evaluator: ${code ? `${code}: ` : ''}${(err as Error).message}\n`,
    );
    process.exit(1);
  }
}

await main(process.argv.slice(2));
