import { expect, it } from 'vitest';
import { writerConfig } from './config.ts';

it('reads flags before variables, binds loopback by default', () => {
  const c = writerConfig(['--jsonl-dir', 'ledger'], {
    BURNRATE_LEDGER_JSONL_DIR: 'other',
    BURNRATE_LEDGER_TOKEN: 't',
  });
  expect(c).toMatchObject({ host: '127.0.0.1', port: 9465, jsonlDir: 'ledger', token: 't' });
  expect(
    writerConfig(['--listen=[::1]:0', '--database-url', 'postgres://u@h/db'], {}),
  ).toMatchObject({
    host: '::1',
    port: 0,
    databaseUrl: 'postgres://u@h/db',
  });
});

it('names the flag or variable of a bad value', () => {
  const dir = { BURNRATE_LEDGER_JSONL_DIR: 'd' };
  expect(() => writerConfig([], {})).toThrow(/no sink: set --database-url/);
  expect(() => writerConfig(['--listen', '9465'], dir)).toThrow(/^--listen: expected host:port/);
  expect(() => writerConfig([], { ...dir, BURNRATE_LEDGER_POOL_SIZE: '0' })).toThrow(
    /^BURNRATE_LEDGER_POOL_SIZE: expected a positive whole number, got "0"/,
  );
  expect(() => writerConfig([], { BURNRATE_LEDGER_DATABASE_URL: 'mysql://x' })).toThrow(
    /^BURNRATE_LEDGER_DATABASE_URL: expected a postgres:\/\//,
  );
  expect(() => writerConfig(['--jsonl-max-bytes', '1e6'], dir)).toThrow(/^--jsonl-max-bytes:/);
  expect(() => writerConfig(['--colour', 'red'], dir)).toThrow(/^--colour: unknown flag/);
  expect(() => writerConfig(['--token', 'a b'], dir)).toThrow(
    /^--token: must not contain white space/,
  );
});
