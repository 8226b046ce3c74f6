import { join } from 'node:path';
import { type ManagedProcess, spawnManaged } from './process.ts';
import { repoRoot } from './tools.ts';

/**
 * The budget evaluator's CLI (`burnrate-evaluator serve`), run from its sources as a user's
 * process: `args` follow `serve`. Logs in test/.artifacts/ under `name`.
 */
export function spawnEvaluator(
  name: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): ManagedProcess {
  return spawnManaged(
    name,
    process.execPath,
    [
      '--conditions=@burnrate/source',
      join(repoRoot, 'packages/budget-evaluator/src/cli.ts'),
      'serve',
      ...args,
    ],
    { cwd: repoRoot, env: options.env },
  );
}
