import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { safely } from './fail-open.ts';

/** A module an instrumentation patches, and the versions it supports (semver range). */
export interface PatchedModule {
  name: string;
  versions: string[];
}

type AnyFunction = (this: unknown, ...args: never[]) => unknown;

let externalLoader = false;

/**
 * While on, instrumentations constructed are enabled without OpenTelemetry's require/import hooks:
 * `@burnrate/auto`'s own module hook patches every copy of an SDK, CommonJS or ESM, and the
 * require hook would only repeat that work for every file of the SDK (it reads the package's
 * package.json once per file: 235 times for openai). Off again once they are made.
 */
export function setExternalModuleLoader(on: boolean): void {
  externalLoader = on;
}

/**
 * Base of every Burnrate instrumentation. Besides the standard OpenTelemetry hooks (patching a
 * module when it is required or, with the loader hook, imported), it can patch a copy of a module
 * that is already loaded (`patchExports`): `@burnrate/auto` uses that to patch the SDK classes that
 * every importer shares, so `import '@burnrate/auto'` works as the first line of an ESM entry whose
 * other static imports were linked before it ran.
 */
export abstract class BurnrateInstrumentation<
  C extends InstrumentationConfig = InstrumentationConfig,
> extends InstrumentationBase<C> {
  /** The modules this patches. A getter: the base constructor reads it before fields exist. */
  abstract get modules(): readonly PatchedModule[];

  /** Patches a loaded copy (CJS exports or ESM namespace) of one of `modules`. Idempotent. */
  abstract patchExports(moduleName: string, exports: unknown): void;

  override enable(): void {
    if (externalLoader) {
      // The base's own flag (which isEnabled() reads), without its hooks.
      this._enabled = true;
      return;
    }
    super.enable();
  }

  protected init() {
    return this.modules.map(
      (m) =>
        new InstrumentationNodeModuleDefinition(m.name, m.versions, (exports: unknown) => {
          safely(`patching ${m.name}`, () => this.patchExports(m.name, exports));
          return exports;
        }),
    );
  }

  /**
   * Wraps `target[name]` once (a second patch of the same copy does nothing). The wrapper gets
   * the original; instrumentation inside it must fail open.
   */
  protected wrapMethod<T extends object>(
    target: T | undefined,
    name: string,
    wrapper: (original: AnyFunction) => AnyFunction,
  ): void {
    if (!target) return;
    const holder = target as Record<string, unknown>;
    const original = holder[name];
    if (typeof original !== 'function' || isWrapped(original)) return;
    this._wrap(holder, name, (orig) => wrapper(orig as AnyFunction));
  }
}
