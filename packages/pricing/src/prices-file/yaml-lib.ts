import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');
let lib: Yaml | undefined;

/**
 * The yaml package, loaded when a prices file is first read: a service without one never loads
 * it (about 20 ms of every start-up otherwise). Loading a prices file is start-up work anyway.
 */
export function yamlLib(): Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as Yaml;
  return lib;
}
