import '@burnrate/auto';
import * as openai from '@llamaindex/openai';
import * as workflow from '@llamaindex/workflow';
import * as llamaindex from 'llamaindex';
import { print, scenarios } from './calls.mjs';

const calls = scenarios({ workflow, llamaindex, openai });
const results = {};
for (const name of process.argv.slice(2)) results[name] = await calls[name]();
print(results);
