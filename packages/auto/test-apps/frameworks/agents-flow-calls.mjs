// A small multi-agent flow on the OpenAI Agents SDK: Triage hands off to Billing, which asks the
// Summarizer agent through a tool (`summarize`, an agent used as a tool) before it answers.
export function agentsFlow({ Agent, handoff }) {
  const summarizer = new Agent({
    name: 'Summarizer',
    instructions: 'Summarize the invoice.',
    model: 'gpt-4o-mini',
  });
  const billing = new Agent({
    name: 'Billing',
    instructions: 'Answer billing questions. Use summarize.',
    model: 'gpt-4o-mini',
    tools: [summarizer.asTool({ toolName: 'summarize', toolDescription: 'Summarize an invoice' })],
  });
  const triage = new Agent({
    name: 'Triage',
    instructions: 'Route the user.',
    model: 'gpt-4o-mini',
    handoffs: [handoff(billing)],
  });
  return triage;
}

export async function runFlow(agents, mode) {
  const triage = agentsFlow(agents);
  const input = 'Why is my invoice so high?';
  if (mode === 'stream') {
    const result = await agents.run(triage, input, { stream: true });
    for await (const _ of result) {
      // drain
    }
    await result.completed;
    return { output: String(result.finalOutput), lastAgent: result.lastAgent?.name };
  }
  const result = await agents.run(triage, input);
  return { output: String(result.finalOutput), lastAgent: result.lastAgent?.name };
}
