import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseServeArgs } from './cli-args.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../deploy/budgets.example.yaml', import.meta.url));
const env = {
  BURNRATE_CONFIG: 'b.yaml',
  BURNRATE_PROMETHEUS_URL: 'https://mimir:8080/prometheus',
  BURNRATE_ALERTMANAGER_URL: 'http://am:9093',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-cli-sec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('serve security flags', () => {
  it('reads tokens, TLS, mTLS subjects and allowed hosts from flags or BURNRATE_* variables', () => {
    const a = parseServeArgs(
      [
        '--tls-cert-file',
        'c.pem',
        '--tls-key-file',
        'k.pem',
        '--allowed-hosts',
        'ev.svc, .example.com',
      ],
      {
        ...env,
        BURNRATE_READ_TOKEN_FILE: '/run/secrets/read',
        BURNRATE_ADMIN_TOKEN_FILE: '/run/secrets/admin',
        BURNRATE_TLS_CLIENT_CA_FILE: 'ca.pem',
        BURNRATE_TLS_CLIENT_READ_SUBJECTS: 'grafana,sdk',
      },
    );
    expect(a.http).toEqual({
      allowedHosts: ['ev.svc', '.example.com'],
      access: {
        readTokenFile: '/run/secrets/read',
        adminTokenFile: '/run/secrets/admin',
        clientReadSubjects: ['grafana', 'sdk'],
        clientAdminSubjects: undefined,
      },
      tls: { certFile: 'c.pem', keyFile: 'k.pem', clientCaFile: 'ca.pem' },
    });
  });

  it('names the flag and variable of an incomplete or bad setting', () => {
    const cases: Array<[string[], Record<string, string>, string]> = [
      [
        ['--tls-cert-file', 'c.pem'],
        {},
        '--tls-cert-file (or BURNRATE_TLS_CERT_FILE) and --tls-key-file (or BURNRATE_TLS_KEY_FILE): HTTPS needs both',
      ],
      [
        ['--tls-client-ca-file', 'ca.pem'],
        {},
        '--tls-client-ca-file (or BURNRATE_TLS_CLIENT_CA_FILE): mTLS needs HTTPS',
      ],
      [
        [],
        { BURNRATE_TLS_CLIENT_ADMIN_SUBJECTS: 'ops' },
        '--tls-client-admin-subjects (or BURNRATE_TLS_CLIENT_ADMIN_SUBJECTS): subjects need --tls-client-ca-file',
      ],
      [
        ['--allowed-hosts', 'a,,b'],
        {},
        '--allowed-hosts (or BURNRATE_ALLOWED_HOSTS): empty item in the list "a,,b"',
      ],
      [
        ['--allowed-hosts', 'evil/x'],
        {},
        '--allowed-hosts (or BURNRATE_ALLOWED_HOSTS): "evil/x" is not a host name',
      ],
      [
        ['--prometheus-header', 'X-Scope-OrgID'],
        {},
        '--prometheus-header (or BURNRATE_PROMETHEUS_HEADERS): expected "Name: value", got "X-Scope-OrgID"',
      ],
      [
        ['--prometheus-header', 'Authorization: Bearer x'],
        {},
        'the header "Authorization" cannot be set this way',
      ],
      [
        ['--prometheus-tenant-header', 'Authorization'],
        {},
        '--prometheus-tenant-header (or BURNRATE_PROMETHEUS_TENANT_HEADER): the header "Authorization" cannot be set this way',
      ],
      [
        ['--prometheus-basic-auth-user', 'u'],
        {},
        '--prometheus-basic-auth-user (or BURNRATE_PROMETHEUS_BASIC_AUTH_USER) and --prometheus-basic-auth-password-file (or BURNRATE_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE): basic auth needs both',
      ],
      [
        [],
        { BURNRATE_PROMETHEUS_INSECURE_SKIP_VERIFY: 'yes' },
        '--prometheus-insecure-skip-verify (or BURNRATE_PROMETHEUS_INSECURE_SKIP_VERIFY): expected true or false, got "yes"',
      ],
    ];
    for (const [argv, extra, message] of cases) {
      expect(() => parseServeArgs(argv, { ...env, ...extra })).toThrow(message);
    }
    // A password in a malformed URL is not repeated in the message.
    expect(() =>
      parseServeArgs([], { ...env, BURNRATE_PROMETHEUS_URL: 'svc:hunter2@mimir:8080' }),
    ).toThrow(
      '--prometheus (or BURNRATE_PROMETHEUS_URL): expected an http(s) URL, got "***@mimir:8080"',
    );
  });

  it('builds the Prometheus connection: tenant, headers, auth files, TLS files', () => {
    const a = parseServeArgs(
      [
        '--prometheus-tenant',
        'team-a',
        '--prometheus-header',
        'X-Team: search',
        '--prometheus-insecure-skip-verify',
      ],
      {
        ...env,
        BURNRATE_PROMETHEUS_BASIC_AUTH_USER: 'burnrate',
        BURNRATE_PROMETHEUS_BASIC_AUTH_PASSWORD_FILE: '/run/secrets/pw',
        BURNRATE_PROMETHEUS_CA_FILE: 'ca.pem',
      },
    );
    expect(a.prometheusConnection).toMatchObject({
      headers: { 'X-Team': 'search', 'X-Scope-OrgID': 'team-a' },
      basicAuth: { username: 'burnrate', passwordFile: '/run/secrets/pw' },
      caFile: 'ca.pem',
      insecureSkipVerify: true,
    });
    const e = parseServeArgs([], { ...env, BURNRATE_PROMETHEUS_HEADERS: 'X-A: 1; X-B: two' });
    expect(e.prometheusConnection.headers).toEqual({ 'X-A': '1', 'X-B': 'two' });
    const thanos = parseServeArgs(['--prometheus-tenant', 'team-a'], {
      ...env,
      BURNRATE_PROMETHEUS_TENANT_HEADER: 'THANOS-TENANT',
    });
    expect(thanos.prometheusConnection.headers).toEqual({ 'THANOS-TENANT': 'team-a' });
  });

  it('does not start with a bad token file: one line naming flag, file and line', () => {
    const tokens = join(dir, 'read.tokens');
    writeFileSync(tokens, '# comment\nlong-enough-token-0123456789\ntoo-short\n');
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@burnrate/source',
        CLI,
        'serve',
        '--config',
        EXAMPLE,
        '--port',
        '0',
        '--read-token-file',
        tokens,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env, BURNRATE_PROMETHEUS_URL: 'http://127.0.0.1:9' },
        timeout: 20_000,
      },
    );
    expect(r.stderr).toBe(
      `burnrate-evaluator: --read-token-file (or BURNRATE_READ_TOKEN_FILE): ${tokens}:3: a token must be at least 16 characters (e.g. openssl rand -hex 32)\n`,
    );
    expect(r.status).toBe(1);
  });
});
