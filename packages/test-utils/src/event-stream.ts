import { crc32 } from 'node:zlib';

/** One message of the AWS event-stream binary framing (`application/vnd.amazon.eventstream`). */
export interface EventStreamMessage {
  /** String headers only (`:event-type`, `:message-type`, `:content-type`, ...). */
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/**
 * Encodes messages in the AWS event-stream framing, as Bedrock streams them: per message a
 * 12-byte prelude (total length, headers length, prelude CRC32), headers (name length, name,
 * type 7 = string, value length, value), the payload, and a CRC32 of everything before it.
 * Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
 */
export function encodeEventStream(messages: readonly EventStreamMessage[]): Buffer {
  return Buffer.concat(messages.map(encodeMessage));
}

function encodeMessage(m: EventStreamMessage): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of Object.entries(m.headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    headerParts.push(h);
  }
  const headers = Buffer.concat(headerParts);
  const payload = typeof m.body === 'string' ? Buffer.from(m.body, 'utf8') : Buffer.from(m.body);
  const total = 12 + headers.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headers.copy(out, 12);
  payload.copy(out, 12 + headers.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** An event message of the given type with a JSON payload. */
export function eventMessage(eventType: string, payload: object): EventStreamMessage {
  return {
    headers: {
      ':event-type': eventType,
      ':content-type': 'application/json',
      ':message-type': 'event',
    },
    body: JSON.stringify(payload),
  };
}

/**
 * An InvokeModelWithResponseStream body: each model event JSON in a `chunk` event, as
 * `{"bytes":"<base64 of the JSON>"}` (Bedrock's PayloadPart).
 */
export function bedrockChunkStream(events: readonly object[]): Buffer {
  return encodeEventStream(
    events.map((e) =>
      eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(e), 'utf8').toString('base64') }),
    ),
  );
}

/** A ConverseStream body: `[eventType, payload]` pairs (`messageStart`, `contentBlockDelta`, `metadata`, ...). */
export function converseEventStream(events: readonly (readonly [string, object])[]): Buffer {
  return encodeEventStream(events.map(([type, payload]) => eventMessage(type, payload)));
}

/** An exception message in a stream (e.g. `throttlingException`), as the service sends it mid-stream. */
export function exceptionMessage(exceptionType: string, message: string): EventStreamMessage {
  return {
    headers: {
      ':exception-type': exceptionType,
      ':content-type': 'application/json',
      ':message-type': 'exception',
    },
    body: JSON.stringify({ message }),
  };
}
