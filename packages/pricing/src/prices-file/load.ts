import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PricesFileError } from '../errors.ts';
import { Located } from './located.ts';
import { type PricesConfig, validate } from './schema.ts';
import { yamlLib } from './yaml-lib.ts';

/**
 * Reads and validates a YAML or JSON prices file (JSON is YAML, so one parser). Any problem — a
 * missing file, a syntax error, an unknown field, a wrong type, a negative price — throws ONE
 * PricesFileError naming the file, the line and the field.
 */
export function loadPricesFile(path: string): PricesConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read file (${String(code ?? err)})`;
    throw new PricesFileError(path, why);
  }
  return parsePrices(text, file, path);
}

/** Validates prices-file text; `displayName` is how errors name the file. */
export function parsePrices(text: string, file: string, displayName = file): PricesConfig {
  const yaml = yamlLib();
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0]?.line;
    const first = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new PricesFileError(displayName, `YAML syntax error: ${first}`, line);
  }
  const located = new Located(file, displayName, doc, lines);
  return validate(doc.toJS({ maxAliasCount: 100 }) as unknown, located);
}
