import { describe, expect, it } from 'vitest';
import { costsByOwner, ownerOf, PerfMap, selfCosts } from './callgrind.ts';

// The shape of a real profile (`valgrind --tool=callgrind` of the bench worker), cut down.
const PROFILE = [
  '# callgrind format',
  'version: 1',
  'creator: callgrind-3.19.0',
  'pid: 12068',
  'positions: line',
  'events: Ir',
  'summary: 1000',
  '',
  'ob=(8) /usr/lib/x86_64-linux-gnu/libc.so.6',
  'fl=(160) ???',
  'fn=(1) _int_malloc',
  '0 13',
  'cfn=(2) v8::internal::Scavenger::ScavengeObject(v8::internal::FullHeapObjectSlot)',
  'calls=1 0 ',
  '0 400',
  '0 7',
  'ob=(9) ???',
  'fn=(3) 0x0000000000400010',
  '0 100',
  '+2 50',
  'cfn=(4) 0x0000000000500000',
  'calls=3 0',
  '0 999',
  'fn=(4)',
  '* 30',
  'fn=(2)',
  '0 300',
  'fn=(5) Builtins_LoadIC',
  '0 20',
  '',
  'totals: 1000',
].join('\n');

const PERF_MAP = [
  "400000 40 JS:*'record file:///clone/packages/core/dist/cost-meter.js:96:11",
  "500000 20 JS:+'setAttribute file:///clone/node_modules/@opentelemetry/sdk-trace/dist/Span.mjs:76:14",
  "500000 20 JS:+'patched file:///clone/node_modules/@opentelemetry/instrumentation-openai/build/src/instrumentation.js:9:3",
].join('\n');

describe('callgrind profiles by owner (bench/callgrind.ts)', () => {
  it("adds up each function's own instructions, not what its calls cost", () => {
    const { total, byFunction } = selfCosts(PROFILE);
    expect(total).toBe(1000);
    expect(byFunction.get('_int_malloc')).toBe(20); // 13 + 7, not the 400 of its call
    expect(byFunction.get('0x0000000000400010')).toBe(150);
    // `cfn=(4) name` names id 4 for a later `fn=(4)`; `fn=(2)` repeats a name given by `cfn`.
    expect(byFunction.get('0x0000000000500000')).toBe(30);
    expect(
      byFunction.get('v8::internal::Scavenger::ScavengeObject(v8::internal::FullHeapObjectSlot)'),
    ).toBe(300);
  });

  it('refuses what is not a callgrind profile', () => {
    expect(() => selfCosts('valgrind: command not found')).toThrow(/callgrind/);
  });

  it('names JIT code by address; where an address was reused, the later code', () => {
    const map = new PerfMap(PERF_MAP);
    expect(map.lookup(0x400000)).toMatch(/cost-meter/);
    expect(map.lookup(0x40003f)).toMatch(/cost-meter/);
    expect(map.lookup(0x400040)).toBeUndefined();
    expect(map.lookup(0x3fffff)).toBeUndefined();
    expect(map.lookup(0x500010)).toMatch(/instrumentation-openai/);
  });

  it('gives each function to whose code it is', () => {
    const map = new PerfMap(PERF_MAP);
    const cases: [string, string][] = [
      ['0x0000000000400020', 'instrumentation'], // Burnrate's packages
      ['0x0000000000500000', 'instrumentation'], // OpenTelemetry's openai instrumentation
      [
        'JS:^wrap file:///c/node_modules/@traceloop/instrumentation-openai/dist/index.js:1:2',
        'instrumentation',
      ],
      [
        "JS:*'startSpan file:///c/node_modules/@opentelemetry/sdk-trace/dist/Tracer.mjs:40:11",
        'otel',
      ],
      ['JS:~ file:///c/node_modules/@opentelemetry/api/build/src/api/context.js:4:1', 'otel'],
      ["JS:*'buildHeaders /c/node_modules/openai-v6/internal/headers.js:50:22", 'client'],
      ["JS:*'delete node:internal/deps/undici/undici:11503:13", 'node'],
      ["JS:+'run file:///c/bench/openai-worker.ts:12:3", 'other'],
      ['Builtins_KeyedStoreIC_Megamorphic', 'builtins'],
      ['v8::internal::Runtime_LoadIC_Miss', 'builtins'],
      ['v8::internal::maglev::MaglevGraphBuilder::Build', 'compiler'],
      ['v8::internal::Scanner::ScanString', 'compiler'],
      ['v8::internal::Scavenger::ScavengeObject', 'gc'],
      ['./malloc/./malloc/malloc.c:_int_free', 'other'],
      ['v8::internal::Heap::OnMoveEvent', 'profiler'],
      ['v8::internal::CodeEventLogger::CodeCreateEvent', 'profiler'],
      ['v8::internal::PerfectKeywordHash::GetToken', 'builtins'],
      ['0x00000000000d3b60', 'other'], // not in the map
    ];
    for (const [fn, owner] of cases) expect([fn, ownerOf(fn, map)]).toEqual([fn, owner]);
  });

  it('sums a profile by owner, with the process total', () => {
    const owners = costsByOwner(PROFILE, PERF_MAP);
    expect(owners).toEqual({
      instrumentation: 150 + 30,
      otel: 0,
      client: 0,
      node: 0,
      builtins: 20,
      compiler: 0,
      gc: 300,
      other: 20,
      profiler: 0,
      total: 1000,
    });
  });
});
