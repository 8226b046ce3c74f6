/** A `burnrate` subcommand: its own file, one line in cli.ts's table. */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  now(): number;
}

export interface Command {
  summary: string;
  usage: string;
  /** Returns the exit code; throws UsageError (exit 2) or any other error (exit 1). */
  run(argv: string[], io: CommandIo): Promise<number>;
}
