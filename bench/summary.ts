/**
 * One table for every instrumentation's added cost per call, against the budget the issue sets:
 * the lightest peer's added CPU per call on the OpenAI SDK (benchOpenAI measures it in the same
 * run). Read from the package benches' own tables (columns: operation, plain, instrumented …).
 */
import { FLOOR_ROW } from '@burnrate/test-utils';
import { peerBudget, processorCost } from './openai.ts';

interface Row {
  pkg: string;
  operation: string;
  added: number;
}

function rowsOf(pkg: string, markdown: string): Row[] {
  const rows: Row[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (/plain/i.test(cells[1] ?? '') && /instrumented/i.test(cells[2] ?? '')) {
      inTable = true;
      continue;
    }
    if (!inTable || cells[0].startsWith('---')) continue;
    const plain = Number(cells[1]);
    const instrumented = Number(cells[2]);
    if (Number.isFinite(plain) && Number.isFinite(instrumented))
      rows.push({ pkg, operation: cells[0], added: instrumented - plain });
  }
  return rows;
}

export function budgetSummary(sections: [pkg: string, markdown: string][]): string {
  const rows = [
    // The span processor on foreign GenAI spans (bench/openai.ts: otel-priced − otel).
    ...processorCost.map((p) => ({
      pkg: 'span processor on OpenTelemetry openai spans',
      operation: p.operation,
      added: p.added,
    })),
    ...sections.flatMap(([pkg, md]) => rowsOf(pkg, md)),
  ];
  const budget = (op: string) =>
    /stream/i.test(op)
      ? peerBudget.stream
      : /embed/i.test(op)
        ? peerBudget.embeddings
        : peerBudget.chat;
  const lines = [
    '## Every instrumentation against the per-call budget',
    '',
    "Added µs per call (instrumented − plain, CPU medians of interleaved plain and instrumented rounds from each package bench; API clients and the Qdrant and Pinecone clients are driven through an in-memory transport serving recorded responses, as the OpenAI bench is; rows against real servers (Chroma, LanceDB, pgvector, Weaviate) carry their I/O's noise, and each of those benches measures the floor too: the same call in a bare span of a batch-only provider, no Burnrate code, marked `reference`) against the lightest peer's added CPU per call on openai 6 in this run (OpenAI section: chat, 5-chunk stream, embeddings; vector-database operations are held to the chat budget).",
    '',
    '| instrumentation | operation | added µs/call | budget µs (peer) | within budget |',
    '| --- | --- | ---: | ---: | :---: |',
  ];
  for (const r of rows) {
    if (r.operation.includes(FLOOR_ROW)) {
      lines.push(`| ${r.pkg} | ${r.operation} | ${r.added.toFixed(1)} | — | reference |`);
      continue;
    }
    const b = budget(r.operation);
    const cell = b ? `${b.us.toFixed(1)} (${b.peer})` : '—';
    const ok = b ? (r.added <= b.us ? 'yes' : `no (${(r.added / b.us).toFixed(2)}×)`) : '—';
    lines.push(`| ${r.pkg} | ${r.operation} | ${r.added.toFixed(1)} | ${cell} | ${ok} |`);
  }
  lines.push('');
  return lines.join('\n');
}
