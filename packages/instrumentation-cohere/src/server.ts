import { GEN_AI_PROVIDER, type ModelServer, serverAddress } from '@burnrate/core';
import type { ClientLike } from './types.ts';

export type ServerInfo = ModelServer;

/**
 * The provider behind a client: Cohere's own API, or Cohere models on AWS (the SDK's Bedrock and
 * SageMaker clients share the same methods). The server comes from the client's `environment` /
 * `baseUrl` option when it is a plain string (the SDK also accepts functions: then none is set).
 */
export function serverInfo(client: ClientLike): ServerInfo {
  const name = client?.constructor?.name ?? '';
  const provider = /Bedrock/i.test(name)
    ? GEN_AI_PROVIDER.AWS_BEDROCK
    : /Sagemaker/i.test(name)
      ? 'aws.sagemaker'
      : GEN_AI_PROVIDER.COHERE;
  const base =
    client?._options?.baseUrl ?? client?._options?.environment ?? 'https://api.cohere.com';
  if (typeof base !== 'string') return { provider };
  return { provider, ...serverAddress(base) };
}
