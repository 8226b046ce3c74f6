import '@burnrate/auto';
import * as openai from '@llamaindex/openai';
import * as workflow from '@llamaindex/workflow';
import * as llamaindex from 'llamaindex';
import { print, scenarios } from '../calls.mjs';

print({ run: await scenarios({ workflow, llamaindex, openai }).run() });
