// The framework loaded later, with import(), from an ES module entry.
import '@burnrate/auto';
import { langchainCalls, print } from './calls.mjs';

print(await langchainCalls(await import('@langchain/openai')));
