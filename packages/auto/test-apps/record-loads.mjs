// Preloaded before @burnrate/auto by lazy-instrumentations.test.ts: records every module file
// loaded (ESM and CommonJS) in globalThis.__loadedUrls.
import module from 'node:module';

const urls = [];
globalThis.__loadedUrls = urls;
module.registerHooks({
  load(url, context, nextLoad) {
    urls.push(url);
    return nextLoad(url, context);
  },
});
