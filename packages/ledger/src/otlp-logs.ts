import { LEDGER_EVENT_NAME, type LedgerRow } from './columns.ts';
import { RowError, rowFromEvent } from './row.ts';
import { attributeMap, type OtlpKeyValue } from './values.ts';

interface OtlpLogRecord {
  timeUnixNano?: string | number;
  observedTimeUnixNano?: string | number;
  eventName?: string;
  traceId?: string;
  spanId?: string;
  attributes?: OtlpKeyValue[];
}

interface ExportLogsRequest {
  resourceLogs?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: { logRecords?: OtlpLogRecord[] }[];
  }[];
}

export type EventRow = Omit<LedgerRow, 'received_at'>;

export interface ParsedRequest {
  rows: EventRow[];
  /** Ledger events that could not be rows, with why (the first few). */
  rejected: number;
  errors: string[];
  /** Log records that are not ledger events (left out). */
  ignored: number;
}

export class RequestError extends Error {}

function nanos(v: string | number | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  try {
    const n = BigInt(v);
    return n > 0n ? n : undefined;
  } catch {
    return undefined;
  }
}

/** An OTLP/JSON ExportLogsServiceRequest as ledger rows; throws RequestError if it is not one. */
export function parseLogsRequest(body: string): ParsedRequest {
  let req: unknown;
  try {
    req = JSON.parse(body);
  } catch (error) {
    throw new RequestError(`body: not JSON (${(error as Error).message})`);
  }
  return rowsOfRequest(req);
}

/** A decoded ExportLogsServiceRequest (OTLP/JSON's shape) as ledger rows. */
export function rowsOfRequest(decoded: unknown): ParsedRequest {
  const req = decoded as ExportLogsRequest;
  if (!req || typeof req !== 'object' || Array.isArray(req))
    throw new RequestError('body: expected an ExportLogsServiceRequest object');
  const out: ParsedRequest = { rows: [], rejected: 0, errors: [], ignored: 0 };
  for (const rl of req.resourceLogs ?? []) {
    const resource = attributeMap(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        if (r.eventName !== LEDGER_EVENT_NAME) {
          out.ignored++;
          continue;
        }
        try {
          out.rows.push(
            rowFromEvent({
              traceId: r.traceId,
              spanId: r.spanId,
              timeUnixNano: nanos(r.timeUnixNano) ?? nanos(r.observedTimeUnixNano),
              attributes: attributeMap(r.attributes),
              resource,
            }),
          );
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          out.rejected++;
          if (out.errors.length < 5) out.errors.push(error.message);
        }
      }
    }
  }
  return out;
}
