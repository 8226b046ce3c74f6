import { main } from '../cli.ts';

/**
 * Runs `burnrate <argv>` in-process with no environment (or only `env`), as a user's shell
 * would; its output.
 */
export async function runCli(
  argv: string[],
  now = Date.parse('2025-03-10T00:00:00Z'),
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env,
    now: () => now,
  });
  return { code, stdout, stderr };
}
