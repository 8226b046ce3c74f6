import '@burnrate/auto';
import { withBudget } from '@burnrate/budget';
import * as anthropic from '@langchain/anthropic';
import * as tools from '@langchain/core/tools';
import * as lg from '@langchain/langgraph';
import * as prebuilt from '@langchain/langgraph/prebuilt';
import * as openai from '@langchain/openai';
import * as langchain from 'langchain';
import {
  budgeted,
  claudeInvoke,
  createAgentInvoke,
  customGraph,
  loop,
  print,
  reactInvoke,
  reactStream,
} from './calls.mjs';

const mods = { lg, prebuilt, tools, langchain };
const scenarios = {
  invoke: () => reactInvoke(mods, openai),
  stream: () => reactStream(mods, openai),
  custom: () => customGraph(mods, openai),
  budget: () => budgeted(mods, openai, { withBudget }),
  claude: () => claudeInvoke(mods, anthropic),
  loop: () => loop(mods, openai),
  createAgent: () => createAgentInvoke(mods, openai),
};
const results = {};
for (const name of process.argv.slice(2)) results[name] = await scenarios[name]();
print(results);
