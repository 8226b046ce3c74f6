import { expect, it } from 'vitest';
import { startChroma } from './test-chroma-server.ts';

it('without the Chroma venv, the tests fail with one error telling how to install it', async () => {
  const error = await startChroma('/nonexistent/.tools/chroma/current/bin/chroma').catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain(
    '/nonexistent/.tools/chroma/current/bin/chroma is missing',
  );
  expect((error as Error).message).toContain('npm run setup:tools');
});
