import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, repoRoot } from './harness/index.ts';

/**
 * deploy/prometheus/rules/burnrate-recording.yml with its one-minute cadence scaled down
 * (the groups' interval), so a test sees month-to-date work in seconds.
 * Only the cadence changes; the expressions are the shipped ones.
 */
export function monthToDateRules(intervalSeconds = 3): {
  file: string;
  intervalSeconds: number;
  remove: () => void;
} {
  const text = readFileSync(
    join(repoRoot, 'deploy/prometheus/rules/burnrate-recording.yml'),
    'utf8',
  );
  const scaled = text.replaceAll('interval: 1m', `interval: ${intervalSeconds}s`);
  if (scaled === text) throw new Error('burnrate-recording.yml changed: update monthToDateRules()');
  const dir = makeTempDir('rules');
  const file = join(dir, 'burnrate-recording.yml');
  writeFileSync(file, scaled);
  return { file, intervalSeconds, remove: () => removeTempDir(dir) };
}

/** deploy/prometheus/rules/burnrate-alerts.yml evaluated every second with no `for` delay. */
export function immediateAlertRules(): { file: string; remove: () => void } {
  const text = readFileSync(join(repoRoot, 'deploy/prometheus/rules/burnrate-alerts.yml'), 'utf8');
  const fast = text.replaceAll('interval: 1m', 'interval: 1s').replace(/for: \d+[smh]/g, 'for: 0s');
  const dir = makeTempDir('alert-rules');
  const file = join(dir, 'burnrate-alerts.yml');
  writeFileSync(file, fast);
  return { file, remove: () => removeTempDir(dir) };
}

/** deploy/alertmanager/alertmanager.yml posting to `webhookBase` instead of :5001, with 1 s group timings. */
export function shippedAlertmanagerConfig(webhookBase: string): string {
  const text = readFileSync(join(repoRoot, 'deploy/alertmanager/alertmanager.yml'), 'utf8');
  const out = text
    .replaceAll('http://127.0.0.1:5001', webhookBase)
    .replace(/group_wait: \S+/g, 'group_wait: 1s')
    .replace(/group_interval: \S+/g, 'group_interval: 1s');
  if (!out.includes(webhookBase))
    throw new Error('alertmanager.yml changed: update shippedAlertmanagerConfig()');
  return out;
}
