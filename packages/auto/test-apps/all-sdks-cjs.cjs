require('@burnrate/auto');
const names = [
  'openai',
  '@anthropic-ai/sdk',
  '@aws-sdk/client-bedrock-runtime',
  '@google/genai',
  'cohere-ai',
  '@mistralai/mistralai',
  '@pinecone-database/pinecone',
  '@qdrant/js-client-rest',
  'chromadb',
  'weaviate-client',
  'pg',
  '@lancedb/lancedb',
];
const modules = Object.fromEntries(names.map((n) => [n, require(n)]));
import('./sdk-checks.mjs').then(({ CHECKS }) => {
  const result = {};
  for (const [name, check] of Object.entries(CHECKS)) {
    try {
      result[name] = check(modules[name]);
    } catch (e) {
      result[name] = `error: ${e.message}`;
    }
  }
  console.log(JSON.stringify(result));
});
