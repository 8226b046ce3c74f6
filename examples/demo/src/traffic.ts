import { DEMO_ROUTES } from './service.ts';

/**
 * Sends a realistic mix of requests to the demo service: weighted by endpoint, a few at a time.
 * `requests` bounds the run (tests); without it, it runs at `rps` until stopped (the stack).
 */
export interface TrafficOptions {
  url: string;
  requests?: number;
  rps?: number;
  concurrency?: number;
  seed?: number;
}

const WEIGHTS: Record<string, number> = {
  '/api/search': 5,
  '/api/chat': 3,
  '/api/documents/:id/summary': 2,
  '/api/classify': 2,
  '/api/experimental': 1,
  '/api/research': 1,
};

export async function generateDemoTraffic(
  options: TrafficOptions,
): Promise<{ sent: number; failed: number }> {
  let seed = options.seed ?? 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = random() * total;
    for (const r of DEMO_ROUTES) {
      x -= WEIGHTS[r.template] ?? 0;
      if (x <= 0) return r;
    }
    return DEMO_ROUTES[0];
  };
  let sent = 0;
  let failed = 0;
  const one = async () => {
    const r = pick();
    const path = r.template.replace(':id', `doc-${Math.floor(random() * 1000)}`);
    const res = await fetch(`${options.url}${path}`, {
      method: r.method,
      headers: { 'content-type': 'application/json' },
      body:
        r.method === 'GET'
          ? undefined
          : JSON.stringify({ q: `question ${Math.floor(random() * 100)}` }),
    }).catch(() => undefined);
    sent++;
    if (!res?.ok) failed++;
    await res?.arrayBuffer().catch(() => undefined);
  };
  const concurrency = options.concurrency ?? 4;
  if (options.requests !== undefined) {
    const limit = options.requests;
    let started = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < limit) {
          started++;
          await one();
        }
      }),
    );
    return { sent, failed };
  }
  const interval = 1000 / (options.rps ?? 2);
  for (;;) {
    void one();
    await new Promise((r) => setTimeout(r, interval));
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const url = arg('url') ?? process.env.DEMO_URL ?? 'http://127.0.0.1:8080';
  const requests = arg('requests') ? Number(arg('requests')) : undefined;
  generateDemoTraffic({
    url,
    requests,
    rps: Number(arg('rps') ?? process.env.TRAFFIC_RPS ?? 2),
  }).then((r) => console.log(JSON.stringify(r)));
}
