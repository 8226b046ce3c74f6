import { registerHooks } from 'node:module';

/**
 * Test-only. vitest hands the root config's `ssr.resolve.conditions` (which include `import` and
 * `module`) to Node as `--conditions`, so Node's own `require()` then picks a package's `import`
 * branch: `pg` requires `pg-pool` and gets its ESM wrapper's namespace ("Class extends value
 * [object Module] is not a constructor"). Drop those two conditions from `require()` resolution.
 * Import this module before `pg`.
 */
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!context.conditions.includes('require')) return nextResolve(specifier, context);
    const conditions = context.conditions.filter((c) => c !== 'import' && c !== 'module');
    return nextResolve(specifier, { ...context, conditions });
  },
});
