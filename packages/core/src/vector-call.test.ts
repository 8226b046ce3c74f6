import { describe, expect, it } from 'vitest';
import { count, urlTarget, vectorCallAttributes, vectorCallName } from './vector-call.ts';

describe('a vector-database call’s span name and start attributes', () => {
  it('records the database conventions, the server when known and top_k', () => {
    expect(vectorCallAttributes('qdrant', 'query', 'docs', 10, 'db.internal', 6333)).toEqual({
      'db.system.name': 'qdrant',
      'db.operation.name': 'query',
      'db.collection.name': 'docs',
      'server.address': 'db.internal',
      'server.port': 6333,
      'burnrate.vectordb.top_k': 10,
    });
    expect(vectorCallName('query', 'docs')).toBe('query docs');
  });

  it('leaves out what is not known, or not of the right type, and names the span by operation alone', () => {
    const attributes = vectorCallAttributes('lancedb', 'add', { not: 'a name' }, undefined, '', 0);
    expect(attributes).toEqual({ 'db.system.name': 'lancedb', 'db.operation.name': 'add' });
    expect(vectorCallName('add', '')).toBe('add');
    expect(vectorCallName('add', 42)).toBe('add');
  });

  it('reads host and port from a URL or a bare host, and counts arrays and objects', () => {
    expect(urlTarget('http://[::1]:8000/api')).toEqual({ address: '::1', port: 8000 });
    expect(urlTarget('index-abc.svc.pinecone.io')).toEqual({
      address: 'index-abc.svc.pinecone.io',
      port: undefined,
    });
    expect(urlTarget(undefined)).toEqual({});
    expect([count([1, 2, 3]), count({ a: 1, b: 2 }), count('x')]).toEqual([3, 2, undefined]);
  });
});
