/**
 * A weaviate-client connection without I/O, shaped like the real one (3.x): `search` resolves to a
 * new searcher per call whose methods are instance arrow fields, as the client's `Searcher` is;
 * every gRPC search resolves at once to a reply with five objects. For the bench's stub rows.
 */
const reply = { results: Array.from({ length: 5 }, (_, i) => ({ properties: { n: i } })) };

class StubSearcher {
  readonly collection: string;
  constructor(collection: string) {
    this.collection = collection;
  }
  call = (message: unknown) => Promise.resolve(message ? reply : reply);
  withFetch = (args: unknown) => this.call(args);
  withBm25 = (args: unknown) => this.call(args);
  withHybrid = (args: unknown) => this.call(args);
  withNearAudio = (args: unknown) => this.call(args);
  withNearDepth = (args: unknown) => this.call(args);
  withNearImage = (args: unknown) => this.call(args);
  withNearIMU = (args: unknown) => this.call(args);
  withNearObject = (args: unknown) => this.call(args);
  withNearText = (args: unknown) => this.call(args);
  withNearThermal = (args: unknown) => this.call(args);
  withNearVector = (args: unknown) => this.call(args);
  withNearVideo = (args: unknown) => this.call(args);
}

export class StubConnection {
  host = 'http://127.0.0.1:8080';
  params = { grpcAddress: '127.0.0.1:50051' };
  search = (...args: unknown[]) =>
    new Promise<StubSearcher>((resolve) => resolve(new StubSearcher(String(args[0]))));
}

/** `collection.query.nearVector(vector, { limit: 5 })` as the client runs it on a connection. */
export function stubNearVector(connection: StubConnection, vector: number[]): Promise<unknown> {
  return connection
    .search('Bench')
    .then((searcher) => searcher.withNearVector({ limit: 5, nearVector: { vector } }));
}
