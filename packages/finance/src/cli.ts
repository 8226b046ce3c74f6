#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PrometheusError } from '@burnrate/budget-evaluator';
import type { Command, CommandIo } from './command.ts';
import { UsageError } from './prometheus/options.ts';
import { ConfigError } from './report/rules/load.ts';

/** The subcommands; each loads its module only when run. Add one line per command. */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  report: async () => (await import('./report/command.ts')).reportCommand,
  digest: async () => (await import('./digest/command.ts')).digestCliCommand,
  reconcile: async () => (await import('./reconcile/command.ts')).reconcileCommand,
  reprice: async () => (await import('./reconcile/reprice/command.ts')).repriceCommand,
};

async function usage(): Promise<string> {
  const lines = [
    'Usage: burnrate <command> [options]   (burnrate <command> --help)',
    '',
    'Commands:',
  ];
  for (const [name, load] of Object.entries(COMMANDS)) {
    lines.push(`  ${name.padEnd(10)} ${(await load()).summary}`);
  }
  return lines.join('\n');
}

/** Runs a command line; returns the exit code (0 ok, 1 failed, 2 bad usage). */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(`${await usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr(`burnrate: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`burnrate ${name}: ${err.message}\n(burnrate ${name} --help for usage)\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof PrometheusError) {
      io.stderr(`burnrate ${name}: ${err.message}\n`);
      return 1;
    }
    const code = (err as { code?: string }).code;
    io.stderr(`burnrate ${name}: ${code ? `${code}: ` : ''}${(err as Error).message}\n`);
    return 1;
  }
}

function isMain(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  const io: CommandIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    now: () => Date.now(),
  };
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
