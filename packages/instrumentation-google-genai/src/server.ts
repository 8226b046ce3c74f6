import { GEN_AI_PROVIDER, type ModelServer, serverAddress } from '@burnrate/core';
import type { ModelsLike } from './types.ts';

export type ServerInfo = ModelServer;

/**
 * The provider and server of a `Models` instance, from its API client: `gcp.vertex_ai` for
 * Vertex AI clients, `gcp.gemini` for the Gemini Developer API.
 */
export function serverInfo(models: ModelsLike): ServerInfo {
  const client = models.apiClient;
  const vertex = client?.isVertexAI?.() === true;
  const provider = vertex ? GEN_AI_PROVIDER.GCP_VERTEX_AI : GEN_AI_PROVIDER.GCP_GEMINI;
  const base = client?.getBaseUrl?.();
  if (!base) return { provider };
  return { provider, ...serverAddress(base) };
}
