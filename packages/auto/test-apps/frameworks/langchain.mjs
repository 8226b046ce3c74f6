import '@burnrate/auto';
import * as langchain from '@langchain/openai';
import { langchainCalls, print } from './calls.mjs';

print(await langchainCalls(langchain));
