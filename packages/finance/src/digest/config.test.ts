import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type DigestConfigError, parseDigestConfig } from './config.ts';

const GOOD = `schedule: "Mon 09:00"
timezone: Europe/Berlin
prometheus_url: http://prometheus:9090
top: 3
spend_jump: { ratio: 2, min_usd: 10 }
channels:
  - type: slack
    name: finance
    webhook_url: { env: SLACK_URL }
  - type: webhook
    url: https://hooks.example.com/digest
    headers:
      Authorization: { file: /run/secrets/hook-token }
  - type: email
    from: burnrate@example.com
    to: [finance@example.com]
    smtp:
      host: smtp.example.com
      username: burnrate
      password: { env: SMTP_PASSWORD }
`;

const env = { SLACK_URL: 'https://hooks.slack.com/services/T/B/XYZ', SMTP_PASSWORD: 'pw-123' };
const readFile = (p: string) => {
  if (p === '/run/secrets/hook-token') return 'Bearer tok-456\n';
  throw Object.assign(new Error('nope'), { code: 'ENOENT' });
};

function configError(text: string, e: NodeJS.ProcessEnv = env): DigestConfigError {
  try {
    parseDigestConfig(text, 'digest.yaml', { env: e, readFile });
  } catch (err) {
    return err as DigestConfigError;
  }
  throw new Error('expected an error');
}

describe('digest config', () => {
  it('reads schedule, zone, channels and secrets from env and files', () => {
    const c = parseDigestConfig(GOOD, 'digest.yaml', { env, readFile });
    expect(c).toMatchObject({
      timeZone: 'Europe/Berlin',
      top: 3,
      jump: { ratio: 2, minUsd: 10 },
      atRisk: { utilization: 0.8, forecast: 1 },
      schedule: { weekdays: [1], times: [540] },
    });
    expect(c.channels.map((ch) => ch.name)).toEqual(['finance', 'webhook-2', 'email-3']);
    const [slack, hook, mail] = c.channels;
    if (slack.type !== 'slack' || hook.type !== 'webhook' || mail.type !== 'email')
      throw new Error();
    expect(slack.url.reveal()).toBe(env.SLACK_URL);
    expect(hook.headers.Authorization.reveal()).toBe('Bearer tok-456');
    expect(mail.smtp).toMatchObject({ port: 587, tls: 'starttls', username: 'burnrate' });
    expect(mail.smtp.password?.reveal()).toBe('pw-123');
  });

  it('never prints a secret', () => {
    const c = parseDigestConfig(GOOD, 'digest.yaml', { env, readFile });
    const shown = [
      JSON.stringify(c),
      inspect(c, { depth: 10 }),
      String(c.channels[0]),
      `${JSON.stringify(c.channels)}`,
    ];
    for (const text of shown) {
      expect(text).not.toContain('XYZ');
      expect(text).not.toContain('pw-123');
      expect(text).not.toContain('tok-456');
    }
    expect(inspect(c.channels[0], { depth: 5 })).toContain('[secret from env SLACK_URL]');
  });

  it('names file, line, column and field for an unknown field', () => {
    const e = configError(GOOD.replace('    name: finance', '    nmae: finance'));
    expect(e.message).toBe('digest.yaml:8:5: channels[0].nmae: unknown field (check the spelling)');
  });

  it('points at the secret whose variable is missing, without its value', () => {
    const e = configError(GOOD, { SLACK_URL: env.SLACK_URL });
    expect(e.message).toBe(
      'digest.yaml:20:7: channels[2].smtp.password: environment variable SMTP_PASSWORD is not set',
    );
    const f = configError(GOOD.replace('/run/secrets/hook-token', '/missing'));
    expect(f.message).toMatch(
      /^digest.yaml:13:7: channels\[1\].headers.Authorization: cannot read secret file \/missing \(ENOENT\)/,
    );
  });

  it('explains a bad schedule, zone, channel type and YAML', () => {
    expect(configError(GOOD.replace('Mon 09:00', 'Monday at 9')).message).toMatch(
      /^digest.yaml:1:1: schedule: expected "<days> HH:MM"/,
    );
    expect(configError(GOOD.replace('Europe/Berlin', 'Mars/Olympus')).message).toBe(
      'digest.yaml:2:1: timezone: unknown time zone (use an IANA name like Europe/Berlin)',
    );
    expect(configError(GOOD.replace('type: slack', 'type: teams')).field).toBe('channels[0].type');
    expect(configError('schedule: [').message).toMatch(/^digest.yaml:1:\d+: invalid YAML/);
    expect(configError('schedule: "Mon 09:00"\n').message).toBe(
      'digest.yaml:1:1: channels: required field is missing',
    );
  });
});
