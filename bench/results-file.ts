// bench/RESULTS.md by `## ` sections: a named bench replaces its own, a full run keeps the
// sections of the benches it does not run.

/** The `## ` sections of a markdown text, each from its heading to the next. */
function sections(text: string): string[] {
  return text.split(/\n(?=## )/).filter((s) => s.startsWith('## '));
}

/** The sections whose heading starts with one of `headings`, joined. */
export function keepSections(text: string, headings: string[]): string {
  const kept = sections(text).filter((s) => headings.some((h) => s.startsWith(h)));
  return kept.map((s) => `${s.trimEnd()}\n`).join('\n');
}

/** `text` with the section of the same first line replaced by `section` (or appended). */
export function spliceSection(text: string, section: string): string {
  const heading = section.split('\n', 1)[0];
  const parts = text.split(/\n(?=## )/);
  const i = parts.findIndex((p) => p.split('\n', 1)[0] === heading);
  const body = `${section.trimEnd()}\n`;
  if (i < 0) return `${text.trimEnd()}\n\n${body}`;
  parts[i] = body;
  return parts.join('\n');
}
