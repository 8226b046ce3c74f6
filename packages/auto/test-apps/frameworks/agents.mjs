import '@burnrate/auto';
import * as agents from '@openai/agents';
import { agentsRun, print } from './calls.mjs';

print(await agentsRun(agents));
