import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A token file cannot be used: the message names the flag, the file and the line. */
export class SecurityConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecurityConfigError';
  }
}

/** Shorter tokens are refused: a token is a secret, not a password someone types. */
export const MIN_TOKEN_LENGTH = 16;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The tokens of one file: one per line (several for a rotation: add the new one, roll the
 * clients, remove the old one, SIGHUP). Blank lines and lines starting with # are skipped.
 * Only their SHA-256 digests are kept.
 */
export class TokenSet {
  private readonly digests: readonly Buffer[];

  private constructor(digests: readonly Buffer[]) {
    this.digests = digests;
  }

  get size(): number {
    return this.digests.length;
  }

  /** Reads `file`; `where` names the flag (e.g. "--read-token-file (or BURNRATE_READ_TOKEN_FILE)"). */
  static fromFile(file: string, where: string): TokenSet {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new SecurityConfigError(
        `${where}: cannot read "${file}" (${(err as { code?: string }).code ?? 'error'})`,
      );
    }
    const digests: Buffer[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const at = `${where}: ${file}:${i + 1}`;
      if (/\s/.test(line)) throw new SecurityConfigError(`${at}: a token cannot hold a space`);
      if (line.length < MIN_TOKEN_LENGTH) {
        throw new SecurityConfigError(
          `${at}: a token must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
        );
      }
      digests.push(digest(line));
    });
    if (digests.length === 0) throw new SecurityConfigError(`${where}: "${file}" holds no token`);
    return new TokenSet(digests);
  }

  /** Compares in constant time: every token is compared, whatever matches (or not) first. */
  has(candidate: string): boolean {
    const d = digest(candidate);
    let found = false;
    for (const t of this.digests) found = timingSafeEqual(d, t) || found;
    return found;
  }
}
