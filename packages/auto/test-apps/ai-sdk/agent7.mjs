// `node agent7.mjs [agent-class|stream|budget|refused]`: the agent loop on ai 7.
import '@burnrate/auto';
import { createOpenAI } from '@ai-sdk/openai';
import * as ai from 'ai';
import { agentLoop } from './agent-calls.mjs';

const mode = process.argv[2];
if (mode === 'budget' || mode === 'refused') {
  const { withBudget } = await import('@burnrate/budget');
  const maxUsd = mode === 'refused' ? 1e-9 : 1;
  try {
    const result = await withBudget({ agent: 'support-desk', maxUsd }, () =>
      agentLoop(ai, createOpenAI),
    );
    console.log(JSON.stringify(result));
  } catch (error) {
    console.log(JSON.stringify({ error: error.name, kind: error.kind }));
  }
} else {
  console.log(JSON.stringify(await agentLoop(ai, createOpenAI, mode)));
}
