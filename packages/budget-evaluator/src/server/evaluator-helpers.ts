import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Node fires a timer at once when its delay exceeds 2^31-1 ms (24.8 days): clamp. */
export function timerDelay(seconds: number): number {
  return Math.min(seconds * 1000, 2 ** 31 - 1);
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function hashFile(file: string): string {
  return createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex');
}
