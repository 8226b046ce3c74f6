import { GEN_AI_PROVIDER } from '@burnrate/core';
import type { ModelsLike } from './types.ts';

export interface ServerInfo {
  /** `gcp.vertex_ai` for Vertex AI clients, `gcp.gemini` for the Gemini Developer API. */
  provider: string;
  address?: string;
  port?: number;
}

/** The provider and server of a `Models` instance, from its API client. */
export function serverInfo(models: ModelsLike): ServerInfo {
  const client = models.apiClient;
  const vertex = client?.isVertexAI?.() === true;
  const provider = vertex ? GEN_AI_PROVIDER.GCP_VERTEX_AI : GEN_AI_PROVIDER.GCP_GEMINI;
  const base = client?.getBaseUrl?.();
  if (!base) return { provider };
  try {
    const url = new URL(base);
    return {
      provider,
      address: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    };
  } catch {
    return { provider };
  }
}
