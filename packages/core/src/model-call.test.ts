import { describe, expect, it } from 'vitest';
import {
  modelCallAttributes,
  modelCallName,
  requestParameterAttributes,
  serverAddress,
} from './model-call.ts';

describe('a model call’s first attributes', () => {
  it('records the model, output cap and temperature the request gives, and nothing of the wrong type', () => {
    expect(requestParameterAttributes({}, 'gpt-4o', 256, 0.2)).toEqual({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.temperature': 0.2,
    });
    // An empty model is no model (the span is then named by its operation alone).
    expect(requestParameterAttributes({}, '', '256', null)).toEqual({});
    expect(requestParameterAttributes({}, 42, undefined, 0)).toEqual({
      'gen_ai.request.temperature': 0,
    });
  });

  it('adds them to the operation, provider and server, and names the span by operation and model', () => {
    const attributes = modelCallAttributes('chat', {
      provider: 'openai',
      address: 'api.openai.com',
      port: 443,
    });
    requestParameterAttributes(attributes, 'gpt-4o-mini', 16, undefined);
    expect(attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.max_tokens': 16,
    });
    expect(modelCallName('chat', attributes)).toBe('chat gpt-4o-mini');
    expect(modelCallName('embeddings', {})).toBe('embeddings');
  });

  it("reads the server from a base URL: the scheme's port when none is named, IPv6 without brackets", () => {
    expect(serverAddress('https://api.mistral.ai')).toEqual({
      address: 'api.mistral.ai',
      port: 443,
    });
    expect(serverAddress('http://localhost/v1')).toEqual({ address: 'localhost', port: 80 });
    expect(serverAddress('http://10.0.0.7:11434/v1')).toEqual({ address: '10.0.0.7', port: 11434 });
    expect(serverAddress('http://[::1]:8080')).toEqual({ address: '::1', port: 8080 });
    expect(serverAddress('not a url')).toEqual({});
  });
});
