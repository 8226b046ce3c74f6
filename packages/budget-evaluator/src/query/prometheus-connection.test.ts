// The connection settings read into request headers: auth given as values or in files, one kind
// at a time, errors that name the setting and never hold the secret.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  load,
  maskCredentials,
  type PrometheusConnection,
  userPassword,
} from './prometheus-connection.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'burnrate-prom-conn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const auth = (conn: PrometheusConnection, url = 'http://prom:9090') =>
  load(conn, new URL(url)).headers.authorization;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
/** The error `conn` throws; it must not hold `secret` (none when the setting holds no secret). */
const error = (conn: PrometheusConnection, secret: string | undefined, url?: string) => {
  try {
    auth(conn, url);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectionError);
    if (secret !== undefined) expect((err as Error).message).not.toContain(secret);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('Prometheus connection auth', () => {
  it('a bearer token or basic auth, as a value or from a file (its first line)', () => {
    expect(auth({})).toBeUndefined();
    expect(auth({ bearerToken: 'tok-1\n' })).toBe('Bearer tok-1');
    expect(auth({ bearerTokenFile: file('token', 'tok-2\n# note\n') })).toBe('Bearer tok-2');
    expect(auth({ basicAuth: { username: 'u', password: 'p:w' } })).toBe(basic('u', 'p:w'));
    const passwordFile = file('password', 's3cret\n');
    expect(auth({ basicAuth: { username: 'u', passwordFile } })).toBe(basic('u', 's3cret'));
    expect(auth({ basicAuthFile: file('basic', 'svc:pa:ss\n') })).toBe(basic('svc', 'pa:ss'));
    expect(auth({}, 'http://a%40b:p%3Aw@prom:9090')).toBe(basic('a@b', 'p:w'));
  });

  it('refuses unusable secrets, naming the setting and never showing the secret', () => {
    const names = { bearerToken: 'TOKEN_VAR', basicAuthFile: '--basic-auth-file' };
    expect(error({ bearerToken: 'has space', names }, 'has space')).toBe(
      'TOKEN_VAR: the token has a space',
    );
    expect(error({ bearerToken: '  ', names }, undefined)).toBe('TOKEN_VAR: the token is empty');
    expect(error({ bearerTokenFile: file('spaced', 'a b\n') }, 'a b')).toBe(
      'bearerTokenFile: the token has a space (line 1)',
    );
    const noColon = file('nocolon', 'justapassword\n');
    expect(error({ basicAuthFile: noColon, names }, 'justapassword')).toBe(
      `--basic-auth-file: "${noColon}" holds no user:password (line 1)`,
    );
    expect(error({ basicAuthFile: file('empty', '\n'), names }, undefined)).toMatch(/is empty/);
    const both = { username: 'u', password: 'pw-1', passwordFile: file('pw', 'pw-2') };
    expect(error({ basicAuth: both }, 'pw-')).toMatch(/the password or a file holding it, not/);
    expect(error({ basicAuth: { username: 'u' } }, undefined)).toMatch(
      /password or a file holding it$/,
    );
    expect(error({ basicAuth: { username: 'a:b', password: 'pw-3' } }, 'pw-3')).toMatch(
      /user name must be set/,
    );
  });

  it('one kind of credentials at a time, each named in the error', () => {
    const names = { bearerToken: 'TOKEN_VAR', basicAuth: 'BASIC_VAR' };
    const conn = { bearerToken: 'tok-9', basicAuth: { username: 'u', password: 'pw-9' }, names };
    expect(error(conn, 'tok-9')).toBe(
      'BASIC_VAR and TOKEN_VAR: use one of a bearer token, basic auth or credentials in the Prometheus URL, not several',
    );
    expect(error({ bearerToken: 'tok-8' }, 'url-pw', 'http://u:url-pw@prom')).toMatch(
      /^bearerToken and the credentials in the Prometheus URL: use one of/,
    );
  });

  it('splits user:password; masks what precedes "@" in a bad URL', () => {
    expect(userPassword('u:p:w')).toEqual({ username: 'u', password: 'p:w' });
    expect(userPassword('u:')).toEqual({ username: 'u', password: '' });
    expect(userPassword(':p')).toBeNull();
    expect(userPassword('nocolon')).toBeNull();
    expect(maskCredentials('ftp://u:hunter2@host/x')).toBe('ftp://***@host/x');
    expect(maskCredentials('u:hunter2@host')).toBe('***@host');
    expect(maskCredentials('http://host/x')).toBe('http://host/x');
  });
});
