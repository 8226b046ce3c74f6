import {
  InstrumentationBase,
  type InstrumentationConfig,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { burnrateLogger, safely } from './fail-open.ts';
import { type ModelCallOptions, traceModelCall } from './model-call.ts';

/** A module an instrumentation patches, and the versions it supports (semver range). */
export interface PatchedModule {
  name: string;
  versions: string[];
}

type AnyFunction = (this: unknown, ...args: never[]) => unknown;

/** An SDK's model-call method: a request, and the SDK's per-call options when it takes them. */
export type ModelMethod<This> = (this: This, request: unknown, options?: unknown) => unknown;

/** Makes one call's `traceModelCall` options, or `undefined` to call the method untraced. */
export type PrepareModelCall<This> = (
  self: This,
  method: ModelMethod<This>,
  request: unknown,
  options: unknown,
) => ModelCallOptions<unknown, unknown> | undefined;

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

  /**
   * Wraps a model-call method `target[name]` (see `wrapMethod`): while enabled, each call is
   * prepared by `prepare` and traced by `traceModelCall`. Fails open: when preparing throws (logged)
   * or returns `undefined`, the method is called as it is, with the caller's arguments.
   */
  protected wrapModelMethod<This>(
    target: object | undefined,
    name: string,
    prepare: PrepareModelCall<This>,
  ): void {
    const instrumentation = this;
    this.wrapMethod(target, name, (original) => {
      const method = original as unknown as ModelMethod<This>;
      return function patched(this: This, request: unknown, options?: unknown) {
        // The caller's own arguments, as many as it passed.
        // biome-ignore lint/complexity/noArguments: a rest parameter would make an array per call
        if (!instrumentation.isEnabled()) return method.apply(this, arguments as never);
        let prepared: ModelCallOptions<unknown, unknown> | undefined;
        try {
          prepared = prepare(this, method, request, options);
        } catch (error) {
          burnrateLogger.warn(
            'preparing request failed; telemetry for this call may be incomplete',
            error,
          );
        }
        // biome-ignore lint/complexity/noArguments: as above
        if (!prepared) return method.apply(this, arguments as never);
        return traceModelCall(prepared);
      } as unknown as AnyFunction;
    });
  }
}
