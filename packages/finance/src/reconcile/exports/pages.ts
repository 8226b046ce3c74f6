import { type JsonDoc, readJson } from './read.ts';

/** A page (`{ data: [...] }`) or a JSON array of pages, as saved from a paginated admin API. */
export function pagesOf(file: string): {
  doc: JsonDoc;
  pages: { value: unknown; path: (string | number)[] }[];
} {
  const doc = readJson(file);
  const v = doc.value;
  if (Array.isArray(v)) return { doc, pages: v.map((value, i) => ({ value, path: [i] })) };
  return { doc, pages: [{ value: v, path: [] }] };
}
