import '@burnrate/auto';
import * as aiOpenai from '@ai-sdk/openai';
import * as agentMod from '@mastra/core/agent';
import * as toolsMod from '@mastra/core/tools';
import OpenAI from 'openai';
import { generate, loop, print, stream } from './calls.mjs';

const scenarios = {
  generate: () => generate(agentMod, toolsMod, aiOpenai, OpenAI),
  stream: () => stream(agentMod, toolsMod, aiOpenai, OpenAI),
  loop: () => loop(agentMod, toolsMod, aiOpenai, OpenAI),
};
const results = {};
for (const name of process.argv.slice(2)) results[name] = await scenarios[name]();
print(results);
