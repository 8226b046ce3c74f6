// `burnrate digest` as an entry of the finance CLI's command table (../cli.ts):
//   digest: async () => (await import('./digest/command.ts')).digestCliCommand,
import type { Command } from '../command.ts';
import { DIGEST_USAGE, digestCommand } from './cli.ts';

export const digestCliCommand: Command = {
  summary:
    'weekly digest (movers, anomalies, budgets at risk, forecast) to Slack, webhooks, e-mail',
  usage: DIGEST_USAGE,
  run: (argv, io) =>
    digestCommand(argv, {
      out: (t) => io.stdout(`${t}\n`),
      err: (t) => io.stderr(`${t}\n`),
      env: io.env,
      deps: { now: io.now },
    }),
};
