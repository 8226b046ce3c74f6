import { createSocket, type Socket } from 'node:dgram';

// A tiny DNS server for test/pipeline-tiers.test.ts: it answers every A query with the given
// IPv4 addresses (TTL 1 s) and every other query with no records, like a headless Kubernetes
// Service whose name has one A record per gateway. The agents resolve the gateways through it
// with gRPC's own DNS resolver (`dns://127.0.0.1:PORT/NAME:4317`), as they would in a cluster.

export type DnsStub = { readonly server: string; close(): Promise<void> };

export async function startDnsStub(addresses: string[]): Promise<DnsStub> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = respond(query, addresses);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The answer to one DNS query (RFC 1035), or undefined if it is not one. */
function respond(query: Buffer, addresses: string[]): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  // The question: labels up to the root label, then QTYPE and QCLASS.
  let end = 12;
  while (end < query.length && query[end] !== 0) end += query[end] + 1;
  end += 5;
  if (end > query.length) return undefined;
  const question = query.subarray(12, end);
  const qtype = query.readUInt16BE(end - 4);
  const records = qtype === 1 ? addresses : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100), 2); // response, authoritative, RD copied
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(1, 2); // A
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(1, 6); // TTL
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((octet, i) => {
      rr[12 + i] = Number(octet);
    });
    return rr;
  });
  return Buffer.concat([header, question, ...answers]);
}
