import { createRequire } from 'node:module';
import {
  type BurnrateInstrumentation,
  type PatchedModule,
  safely,
  setExternalModuleLoader,
} from '@burnrate/core';

const require = createRequire(import.meta.url);

/**
 * An instrumentation known by the modules it patches; its package is loaded, and the instance
 * made, when one of those modules is first loaded (module-hook.ts, eager-patch.ts). A service that
 * uses only openai never loads the fifteen other instrumentation packages: about 40 ms of every
 * start-up, and their memory. `lazy-instrumentations.test.ts` checks each entry's modules against
 * the instrumentation's own list.
 */
export class LazyInstrumentation {
  readonly packageName: string;
  readonly exportName: string;
  readonly modules: readonly PatchedModule[];
  #instance: BurnrateInstrumentation | null | undefined;
  #disabled = false;

  constructor(packageName: string, exportName: string, modules: readonly PatchedModule[]) {
    this.packageName = packageName;
    this.exportName = exportName;
    this.modules = modules;
  }

  /** The instance, if it was made. */
  get loaded(): BurnrateInstrumentation | undefined {
    return this.#instance ?? undefined;
  }

  /**
   * Makes the instance on first use (undefined when its package cannot be loaded: fails open).
   * `ownHooks`: with OpenTelemetry's require/import hooks (only when the module hook is missing).
   */
  instance(ownHooks = false): BurnrateInstrumentation | undefined {
    if (this.#instance === undefined && !this.#disabled) {
      this.#instance =
        safely(`loading ${this.packageName}`, () => {
          const Class = (require(this.packageName) as Record<string, unknown>)[this.exportName] as
            | (new () => BurnrateInstrumentation)
            | undefined;
          if (typeof Class !== 'function') throw new Error(`${this.exportName} is not exported`);
          // The module hook patches every copy: no OpenTelemetry require hook for this one.
          setExternalModuleLoader(!ownHooks);
          try {
            return new Class();
          } finally {
            setExternalModuleLoader(false);
          }
        }) ?? null;
    }
    return this.#instance ?? undefined;
  }

  isEnabled(): boolean {
    if (this.#disabled) return false;
    return this.#instance ? this.#instance.isEnabled() : true;
  }

  patchExports(moduleName: string, exports: unknown): void {
    this.instance()?.patchExports(moduleName, exports);
  }

  /** Stops patching: the instance (if made) is disabled, and none is made any more. */
  disable(): void {
    this.#disabled = true;
    this.#instance?.disable();
  }
}

const sdk = (name: string, versions: string): PatchedModule => ({ name, versions: [versions] });

/** The one import's instrumentations, in the order `burnrateInstrumentations()` makes them. */
export function lazyInstrumentations(): LazyInstrumentation[] {
  const lazy = (pkg: string, exportName: string, ...modules: PatchedModule[]) =>
    new LazyInstrumentation(`@burnrate/instrumentation-${pkg}`, exportName, modules);
  return [
    lazy('openai', 'OpenAIInstrumentation', sdk('openai', '>=5.0.0 <8')),
    lazy('anthropic', 'AnthropicInstrumentation', sdk('@anthropic-ai/sdk', '>=0.20.0 <2')),
    lazy(
      'bedrock',
      'BedrockInstrumentation',
      sdk('@aws-sdk/client-bedrock-runtime', '>=3.400.0 <4'),
    ),
    lazy('google-genai', 'GoogleGenAIInstrumentation', sdk('@google/genai', '>=2.0.0 <4')),
    lazy('cohere', 'CohereInstrumentation', sdk('cohere-ai', '>=7.0.0 <9')),
    lazy('mistral', 'MistralInstrumentation', sdk('@mistralai/mistralai', '>=1.0.0 <3')),
    lazy('pinecone', 'PineconeInstrumentation', sdk('@pinecone-database/pinecone', '>=8.0.0 <10')),
    lazy('qdrant', 'QdrantInstrumentation', sdk('@qdrant/js-client-rest', '>=1.9.0 <2')),
    lazy(
      'chromadb',
      'ChromaInstrumentation',
      sdk('chromadb', '>=2.0.0 <4'),
      sdk('chromadb-client', '>=2.0.0 <3'),
    ),
    lazy('weaviate', 'WeaviateInstrumentation', sdk('weaviate-client', '>=3.0.0 <4')),
    lazy('pg-vector', 'PgVectorInstrumentation', sdk('pg', '>=8.0.0 <9')),
    lazy('lancedb', 'LanceDBInstrumentation', sdk('@lancedb/lancedb', '>=0.15.0 <1')),
    lazy('openai-agents', 'OpenAIAgentsInstrumentation', sdk('@openai/agents-core', '>=0.20.0 <1')),
    lazy(
      'langchain',
      'LangChainInstrumentation',
      sdk('@langchain/langgraph', '>=0.4.0 <2'),
      sdk('@langchain/core/singletons', '>=0.3.0 <2'),
      sdk('@langchain/core/tools', '>=0.3.0 <2'),
    ),
    lazy('mastra', 'MastraInstrumentation', sdk('@mastra/core/agent', '>=1.0.0 <2')),
    lazy(
      'llamaindex',
      'LlamaIndexInstrumentation',
      sdk('@llamaindex/workflow', '>=1.0.0 <2'),
      sdk('@llamaindex/core/agent', '>=0.6.0 <0.7'),
      sdk('@llamaindex/core/tools', '>=0.6.0 <0.7'),
    ),
  ];
}
