import type { BurnrateInstrumentation } from '@burnrate/core';
import { AnthropicInstrumentation } from '@burnrate/instrumentation-anthropic';
import { BedrockInstrumentation } from '@burnrate/instrumentation-bedrock';
import { ChromaInstrumentation } from '@burnrate/instrumentation-chromadb';
import { CohereInstrumentation } from '@burnrate/instrumentation-cohere';
import { GoogleGenAIInstrumentation } from '@burnrate/instrumentation-google-genai';
import { LanceDBInstrumentation } from '@burnrate/instrumentation-lancedb';
import { LangChainInstrumentation } from '@burnrate/instrumentation-langchain';
import { LlamaIndexInstrumentation } from '@burnrate/instrumentation-llamaindex';
import { MastraInstrumentation } from '@burnrate/instrumentation-mastra';
import { MistralInstrumentation } from '@burnrate/instrumentation-mistral';
import { OpenAIInstrumentation } from '@burnrate/instrumentation-openai';
import { OpenAIAgentsInstrumentation } from '@burnrate/instrumentation-openai-agents';
import { PgVectorInstrumentation } from '@burnrate/instrumentation-pg-vector';
import { PineconeInstrumentation } from '@burnrate/instrumentation-pinecone';
import { QdrantInstrumentation } from '@burnrate/instrumentation-qdrant';
import { registerAiSdkUsage } from '@burnrate/instrumentation-vercel-ai';
import { WeaviateInstrumentation } from '@burnrate/instrumentation-weaviate';

/**
 * Every Burnrate instrumentation, for a service that runs its own OpenTelemetry SDK:
 * `new NodeSDK({ instrumentations: burnrateInstrumentations(), spanProcessors: [new BurnrateSpanProcessor(), …] })`.
 * Each one patches its client library only if the service has it installed.
 */
export function burnrateInstrumentations(): BurnrateInstrumentation[] {
  // The Vercel AI SDK is priced from its own telemetry spans, by BurnrateSpanProcessor.
  registerAiSdkUsage();
  return [
    new OpenAIInstrumentation(),
    new AnthropicInstrumentation(),
    new BedrockInstrumentation(),
    new GoogleGenAIInstrumentation(),
    new CohereInstrumentation(),
    new MistralInstrumentation(),
    new PineconeInstrumentation(),
    new QdrantInstrumentation(),
    new ChromaInstrumentation(),
    new WeaviateInstrumentation(),
    new PgVectorInstrumentation(),
    new LanceDBInstrumentation(),
    // Agent, run and tool attribution for the OpenAI Agents SDK (its calls are priced by the above).
    new OpenAIAgentsInstrumentation(),
    // Agent attribution (runs, agents, tools) for LangChain.js / LangGraph; prices nothing itself.
    new LangChainInstrumentation(),
    new MastraInstrumentation(),
    // Agent runs, agents and tools of LlamaIndex.TS agent workflows; prices nothing itself.
    new LlamaIndexInstrumentation(),
  ];
}
