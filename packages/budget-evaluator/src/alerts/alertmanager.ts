import { redactUrl } from '../query/prometheus-connection.ts';
import type { AlertPayload } from './tracker.ts';

const BATCH = 500;

/**
 * Posts alerts to every Alertmanager of an HA cluster (`/api/v2/alerts`), in batches.
 * Never throws: returns one message per failed request.
 */
export async function postAlerts(
  urls: readonly string[],
  alerts: readonly AlertPayload[],
  timeoutMs = 10_000,
): Promise<string[]> {
  if (alerts.length === 0) return [];
  const errors: string[] = [];
  await Promise.all(
    urls.map(async (base) => {
      // Credentials in the URL become a basic-auth header: fetch refuses them in a URL, and
      // messages (logged) name the URL without them.
      const target = new URL(`${base.replace(/\/+$/, '')}/api/v2/alerts`);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (target.username || target.password) {
        const user = decodeURIComponent(target.username);
        const pass = decodeURIComponent(target.password);
        headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      }
      const url = redactUrl(target.toString());
      for (let i = 0; i < alerts.length; i += BATCH) {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers,
            body: JSON.stringify(alerts.slice(i, i + BATCH)),
            signal: AbortSignal.timeout(timeoutMs),
          });
          if (!res.ok) {
            const text = (await res.text()).slice(0, 200);
            errors.push(`Alertmanager ${url} answered HTTP ${res.status}: ${text}`);
          } else await res.body?.cancel();
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause?.code;
          errors.push(`Alertmanager ${url} unreachable: ${cause ?? (err as Error).message}`);
        }
      }
    }),
  );
  return errors;
}
