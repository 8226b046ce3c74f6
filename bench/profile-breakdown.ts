/**
 * Where Burnrate's per-call CPU goes, from a CPU profile of the bench worker:
 *
 *   node --expose-gc --conditions=@burnrate/source --cpu-prof --cpu-prof-dir=prof \
 *     --cpu-prof-interval 50 bench/openai-worker.ts burnrate-v6
 *   node bench/profile-breakdown.ts prof/<file>.cpuprofile [calls]
 *
 * Prints a Markdown table: each sample goes to the innermost Burnrate frame on its stack, unless an
 * SDK (openai) frame is closer (then it is the SDK's own work): what Burnrate's code costs,
 * including the OpenTelemetry SDK work it calls (span start, attributes, end, processors).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Parts of Burnrate's call path, by `function file` of the innermost Burnrate frame. */
const PARTS: [string, RegExp][] = [
  [
    'patch wrapper, request attributes, provider',
    /instrumentation-openai\/src\/(instrumentation|request|provider)\.ts/,
  ],
  ['gate hook (budget gates; none registered)', /core\/src\/(model-call|gate)\.ts/],
  ['attribution lookup', /core\/src\/attribution\.ts|^withAttribution /],
  ['context marker', /core\/src\/call-marker\.ts/],
  [
    'span start, end and call plumbing (span-call.ts; SDK span work, export queue)',
    /core\/src\/span-call\.ts/,
  ],
  ['APIPromise observer', /core\/src\/api-promise\.ts/],
  ['pricing (priceModelCall)', /pricing\/src\//],
  [
    'result recording (usage → attributes)',
    /core\/src\/cost\.ts|instrumentation-openai\/src\/(usage|embeddings|responses)\.ts|^onResult .*chat\.ts/,
  ],
  [
    'stream wrapper (span-stream, watch, accumulator)',
    /core\/src\/(span-stream|stream-watch)\.ts|instrumentation-openai\/src\/(stream|chat)\.ts/,
  ],
  ['local token count (no usage only)', /core\/src\/(token-count|token-counter|counted-usage)\.ts/],
  ['BurnrateSpanProcessor + label cap', /core\/src\/(span-processor|label-cap|foreign-usage)\.ts/],
  ['cost meter', /core\/src\/cost-meter\.ts/],
  ['other Burnrate code', /packages\/(core|instrumentation-openai)\/src\/|fail-open/],
];
const SDK = /node_modules\/openai|bench\/openai-worker/;

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
const calls = Number(process.argv[3] ?? 0);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totals = new Map<string, number>();
let all = 0;
profile.samples.forEach((leaf, i) => {
  const t = profile.timeDeltas[i] ?? 0;
  for (let x: number | undefined = leaf; x !== undefined; x = parent.get(x)) {
    const f = byId.get(x)?.callFrame;
    if (!f) break;
    if (SDK.test(f.url)) return;
    const key = `${f.functionName} ${f.url}`;
    const part = PARTS.find(([, re]) => re.test(key));
    if (part) {
      totals.set(part[0], (totals.get(part[0]) ?? 0) + t);
      all += t;
      return;
    }
  }
});
console.log(`| part of Burnrate's call path | ms in profile |${calls ? ' µs/call |' : ''} share |`);
console.log(`| --- | ---: |${calls ? ' ---: |' : ''} ---: |`);
for (const [name] of PARTS) {
  const t = totals.get(name) ?? 0;
  const perCall = calls ? ` ${(t / calls).toFixed(1)} |` : '';
  console.log(
    `| ${name} | ${(t / 1000).toFixed(1)} |${perCall} ${((100 * t) / all).toFixed(0)} % |`,
  );
}
const perCall = calls ? ` ${(all / calls).toFixed(1)} |` : '';
console.log(`| **all Burnrate** | ${(all / 1000).toFixed(1)} |${perCall} 100 % |`);
