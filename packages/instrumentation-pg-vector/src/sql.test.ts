import { describe, expect, it } from 'vitest';
import { classifySql, isVectorLiteral } from './sql.ts';

describe('classifySql', () => {
  it.each(['<->', '<=>', '<#>', '<+>', '<~>', '<%>'])('reads %s as a vector search', (op) => {
    expect(
      classifySql(`SELECT id FROM items ORDER BY embedding ${op} $1 LIMIT 5`, ['[1,2,3]']),
    ).toEqual({
      operation: 'vector_search',
      table: 'items',
      topK: 5,
    });
  });

  it('takes top_k from a LIMIT parameter or FETCH FIRST, and the last LIMIT of the statement', () => {
    expect(classifySql('SELECT * FROM items ORDER BY e <-> $1 LIMIT $2', ['[1]', 7])?.topK).toBe(7);
    expect(classifySql('SELECT * FROM items ORDER BY e <-> $1 LIMIT $2', ['[1]', '8'])?.topK).toBe(
      8,
    );
    expect(
      classifySql('SELECT * FROM items ORDER BY e <-> $1 FETCH FIRST 4 ROWS ONLY', ['[1]'])?.topK,
    ).toBe(4);
    expect(
      classifySql('SELECT * FROM (SELECT * FROM docs LIMIT 100) d ORDER BY d.e <=> $1 LIMIT 3', [
        '[1]',
      ])?.topK,
    ).toBe(3);
    expect(classifySql('SELECT * FROM items ORDER BY e <-> $1', ['[1]'])?.topK).toBeUndefined();
  });

  it('reads quoted and schema-qualified table names, never the query text', () => {
    expect(classifySql('SELECT 1 FROM "My Items" ORDER BY e <=> $1', [])?.table).toBe('My Items');
    expect(classifySql('select 1 from Search.Docs order by e <=> $1', [])?.table).toBe(
      'search.docs',
    );
    expect(classifySql('SELECT 1 FROM public."Docs" ORDER BY e <=> $1', [])?.table).toBe(
      'public.Docs',
    );
  });

  it('reads the parameters of writes only: a search or plain SQL never scans them', () => {
    let reads = 0;
    const param = {
      get toPostgres() {
        reads++;
        return undefined;
      },
    };
    expect(classifySql('SELECT id FROM items ORDER BY e <=> $1 LIMIT 5', [param])).toEqual({
      operation: 'vector_search',
      table: 'items',
      topK: 5,
    });
    expect(classifySql('SELECT count(*) FROM items WHERE id < $1', [param])).toBeUndefined();
    expect(classifySql('DELETE FROM items WHERE e <-> $1 < 0.1', [param])?.operation).toBe(
      'delete',
    );
    expect(reads).toBe(0);
    expect(classifySql('INSERT INTO items (e) VALUES ($1)', [param])).toBeUndefined();
    expect(classifySql('UPDATE items SET e = $1 WHERE id = 1', [param])).toBeUndefined();
    expect(reads).toBe(2);
  });

  it('reads vector writes from parameters, casts and inline literals', () => {
    expect(classifySql('INSERT INTO items (e) VALUES ($1)', ['[1,2.5,-3e-2]'])).toEqual({
      operation: 'insert',
      table: 'items',
    });
    expect(classifySql('INSERT INTO items (e) VALUES ($1::halfvec)', ['x'])?.operation).toBe(
      'insert',
    );
    expect(classifySql("INSERT INTO items (e) VALUES ('[1,2,3]')")?.operation).toBe('insert');
    expect(classifySql('INSERT INTO items (e) VALUES ($1)', ['{1:1.5,3:2}/5'])?.operation).toBe(
      'insert',
    );
    expect(
      classifySql(
        'INSERT INTO items (id, e) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET e = EXCLUDED.e',
        ['[1]'],
      ),
    ).toEqual({ operation: 'upsert', table: 'items' });
    expect(classifySql('UPDATE ONLY items SET e = $1 WHERE id = 1', ['[0,1]'])).toEqual({
      operation: 'update',
      table: 'items',
    });
    expect(classifySql('DELETE FROM items WHERE e <-> $1 < 0.1', ['[0,1]'])).toEqual({
      operation: 'delete',
      table: 'items',
    });
  });

  it('reads an object parameter that serialises itself as a vector (pgvector SparseVector)', () => {
    class SparseVector {
      toPostgres() {
        return '{1:1}/3';
      }
    }
    expect(classifySql('INSERT INTO items (e) VALUES ($1)', [new SparseVector()])?.operation).toBe(
      'insert',
    );
  });

  it.each([
    ['SELECT count(*) FROM items', []],
    ['INSERT INTO items (label) VALUES ($1)', ['hello']],
    ['INSERT INTO items (tags) VALUES ($1)', ['{a,b}']],
    ['UPDATE items SET label = $1', ['[not a vector]']],
    ["SELECT '<->' AS op", []],
    ['SELECT $$ a <=> b $$', []],
    ['SELECT 1 -- ORDER BY e <-> $1', []],
    ['SELECT 1 /* e <#> $1 */', []],
    ['SELECT a < -b FROM t', []],
    ['DELETE FROM items WHERE id = $1', [1]],
    ['CREATE INDEX ON items USING hnsw (e vector_cosine_ops)', []],
    ['CREATE TABLE items (e vector(3))', []],
  ])('leaves plain SQL alone: %s', (sql, values) => {
    expect(classifySql(sql, values)).toBeUndefined();
  });
});

describe('isVectorLiteral', () => {
  it.each(['[1,2,3]', '[ 1.5 , -2 ]', '[1e-3]', '{1:2,4:0.5}/10', '{}/3'])('accepts %s', (s) => {
    expect(isVectorLiteral(s)).toBe(true);
  });
  it.each(['[]', '[a,b]', '{1,2}', '[1,2', 'hello', '1,2,3'])('rejects %s', (s) => {
    expect(isVectorLiteral(s)).toBe(false);
  });
});
