import { createRequire, registerHooks } from 'node:module';

/**
 * Test-only: loads a CJS package the way plain Node does. Vitest starts its workers with the
 * root config's resolve conditions as Node `--conditions` flags (`import`, `module` among them),
 * so even `require('@aws-sdk/...')` resolves the AWS SDK's bundler-only `module` build
 * (extensionless ESM imports Node cannot run). This hook drops those two conditions for
 * `require` calls of `@aws-sdk/*` and `@smithy/*` packages only.
 */
let registered = false;

export function requireAsNode<T>(specifier: string): T {
  if (!registered) {
    registered = true;
    registerHooks({
      resolve(spec, context, nextResolve) {
        if (
          context.conditions.includes('require') &&
          /^@(aws-sdk|smithy|aws-crypto)\//.test(spec)
        ) {
          return nextResolve(spec, {
            ...context,
            conditions: context.conditions.filter((c) => c !== 'import' && c !== 'module'),
          });
        }
        return nextResolve(spec, context);
      },
    });
  }
  return createRequire(import.meta.url)(specifier) as T;
}
