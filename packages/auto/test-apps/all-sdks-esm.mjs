import '@burnrate/auto';
import * as anthropic from '@anthropic-ai/sdk';
import * as bedrock from '@aws-sdk/client-bedrock-runtime';
import * as google from '@google/genai';
import * as lancedb from '@lancedb/lancedb';
import * as mistral from '@mistralai/mistralai';
import * as pinecone from '@pinecone-database/pinecone';
import * as qdrant from '@qdrant/js-client-rest';
import * as chromadb from 'chromadb';
import * as cohere from 'cohere-ai';
import * as openai from 'openai';
import * as pg from 'pg';
import * as weaviate from 'weaviate-client';
import { CHECKS } from './sdk-checks.mjs';

const modules = {
  openai,
  '@anthropic-ai/sdk': anthropic,
  '@aws-sdk/client-bedrock-runtime': bedrock,
  '@google/genai': google,
  'cohere-ai': cohere,
  '@mistralai/mistralai': mistral,
  '@pinecone-database/pinecone': pinecone,
  '@qdrant/js-client-rest': qdrant,
  chromadb,
  'weaviate-client': weaviate,
  pg,
  '@lancedb/lancedb': lancedb,
};
const result = {};
for (const [name, check] of Object.entries(CHECKS)) {
  try {
    result[name] = check(modules[name]);
  } catch (e) {
    result[name] = `error: ${e.message}`;
  }
}
console.log(JSON.stringify(result));
