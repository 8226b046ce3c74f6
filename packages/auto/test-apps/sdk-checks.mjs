// For every client library Burnrate instruments: is the method the app's own copy will call
// wrapped? (Shimmer marks wrapped functions with `__wrapped`.)
const wrapped = (f) => typeof f === 'function' && f.__wrapped === true;
const proto = (o) => Object.getPrototypeOf(o);

export const CHECKS = {
  openai: (m) => wrapped((m.OpenAI ?? m.default).Chat.Completions.prototype.create),
  '@anthropic-ai/sdk': (m) => wrapped((m.Anthropic ?? m.default).Messages.prototype.create),
  '@aws-sdk/client-bedrock-runtime': (m) => wrapped(m.BedrockRuntimeClient.prototype.send),
  '@google/genai': (m) => wrapped(m.Models.prototype.generateContentInternal),
  'cohere-ai': (m) => wrapped(m.CohereClient.prototype.chat),
  '@mistralai/mistralai': (m) => wrapped(proto(new m.Mistral({ apiKey: 'k' }).chat).complete),
  '@pinecone-database/pinecone': (m) => wrapped(m.Index.prototype.query),
  '@qdrant/js-client-rest': (m) => wrapped(m.QdrantClient.prototype.query),
  chromadb: (m) =>
    wrapped(new m.ChromaClient({ path: 'http://127.0.0.1:1' }).getOrCreateCollection),
  'weaviate-client': (m) => wrapped(m.ConnectionGRPC?.use ?? (m.default ?? m).ConnectionGRPC?.use),
  pg: (m) => wrapped((m.default ?? m).Client.prototype.query),
  '@lancedb/lancedb': (m) => wrapped(m.QueryBase.prototype.toArrow),
};
