// Secrets (webhook URLs, SMTP passwords, tokens): read from an environment variable or a file,
// never printed. A Secret stringifies, serialises and inspects as "[secret]".
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;
  /** Where it came from, for messages: `env FOO`, `file /run/secrets/x` or `inline`. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return `[secret from ${this.source}]`;
  }
}

export type SecretRef = string | { env: string } | { file: string };

/** Resolves a reference; returns an error message (naming the variable or file) on failure. */
export function resolveSecret(
  ref: SecretRef,
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Secret | string {
  if (typeof ref === 'string') return new Secret(ref, 'inline');
  if ('env' in ref) {
    const v = env[ref.env];
    if (v === undefined || v === '') return `environment variable ${ref.env} is not set`;
    return new Secret(v, `env ${ref.env}`);
  }
  let text: string;
  try {
    text = readFile(ref.file);
  } catch (err) {
    return `cannot read secret file ${ref.file} (${(err as { code?: string }).code ?? 'error'})`;
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') return `secret file ${ref.file} is empty`;
  return new Secret(value, `file ${ref.file}`);
}
