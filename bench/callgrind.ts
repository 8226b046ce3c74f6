/**
 * Reads a callgrind profile of a Node process into instructions by owner: whose code ran them.
 * Valgrind names V8's C++ and builtins (the node binary keeps its symbols) but not the JIT's
 * code; V8's `--perf-basic-prof` map file names that (one `start size name` line per compiled
 * function: `JS:*name file:line:col`, `*` TurboFan, `+` Maglev, `^` baseline), so every
 * instruction of compiled JavaScript goes to the file, and so the package, it was written in.
 * Self cost only: a builtin that a function calls (a property load that missed its inline cache,
 * a Map lookup) counts as V8's, not the function's.
 */

/** Self instructions by function name, and the whole process's total (callgrind's `summary`). */
export interface SelfCosts {
  total: number;
  byFunction: Map<string, number>;
}

/**
 * Parses callgrind's output format (version 1, one event): `fn=(id) name` starts a function
 * (`fn=(id)` alone repeats a name given before, by `fn=` or `cfn=`), cost lines (`position cost`)
 * add to it, and the cost line after `calls=` is a call's inclusive cost, which is not its own.
 */
export function selfCosts(text: string): SelfCosts {
  const names = new Map<string, string>();
  const byFunction = new Map<string, number>();
  let total: number | undefined;
  let current: string | undefined;
  let skipNext = false;
  const named = (spec: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(spec);
    if (!m) return spec;
    if (m[2] !== undefined) names.set(m[1], m[2]);
    return names.get(m[1]) ?? spec;
  };
  for (const line of text.split('\n')) {
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42; // digit + - *
    if (isCost) {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (current === undefined) continue;
      const cost = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(cost)) byFunction.set(current, (byFunction.get(current) ?? 0) + cost);
    } else if (line.startsWith('fn=')) {
      current = named(line.slice(3));
    } else if (line.startsWith('cfn=')) {
      named(line.slice(4));
    } else if (line.startsWith('calls=')) {
      skipNext = true;
    } else if (line.startsWith('summary:') || line.startsWith('totals:')) {
      total ??= Number(line.slice(line.indexOf(':') + 1).trim());
    }
  }
  if (total === undefined) throw new Error('no summary line: not a callgrind output file');
  return { total, byFunction };
}

interface MapEntry {
  start: number;
  end: number;
  name: string;
}

/** V8's perf map: names of JIT code by address. Where an address was reused, the later entry wins. */
export class PerfMap {
  readonly #entries: MapEntry[];

  constructor(text: string) {
    const entries: (MapEntry & { order: number })[] = [];
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
      if (!m) continue;
      const start = Number.parseInt(m[1], 16);
      entries.push({
        start,
        end: start + Number.parseInt(m[2], 16),
        name: m[3],
        order: entries.length,
      });
    }
    entries.sort((a, b) => a.start - b.start || a.order - b.order);
    const kept: MapEntry[] = [];
    for (const e of entries) {
      if (kept.length > 0 && kept[kept.length - 1].start === e.start) kept.pop();
      kept.push({ start: e.start, end: e.end, name: e.name });
    }
    this.#entries = kept;
  }

  /** The name of the code at `address`, if the map has it. */
  lookup(address: number): string | undefined {
    const es = this.#entries;
    let lo = 0;
    let hi = es.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (es[mid].start <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    const e = es[hi];
    return e !== undefined && address < e.end ? e.name : undefined;
  }
}

/** Whose code ran an instruction. */
export const OWNERS = [
  'instrumentation',
  'otel',
  'client',
  'node',
  'builtins',
  'compiler',
  'gc',
  'other',
  'profiler',
] as const;
export type Owner = (typeof OWNERS)[number];

export const OWNER_LABELS: Record<Owner, string> = {
  instrumentation: "the instrumentation's JavaScript",
  otel: 'OpenTelemetry API and SDK JavaScript',
  client: 'openai SDK JavaScript',
  node: "Node.js's JavaScript (undici, streams, timers)",
  builtins: 'V8 and Node.js runtime: builtins, inline-cache misses, interpreter, C++',
  compiler: "V8's parser and compilers",
  gc: 'garbage collector',
  other: "other: the bench's own loop and mock server, libc, WebAssembly, unnamed code",
  profiler:
    "the profile's own logging (V8's perf map; the collector telling it of every object it moves)",
};

/**
 * What `--perf-basic-prof` itself adds: V8 logs each code object made, and the collector reports
 * every object it moves (`Heap::OnMoveEvent`, 1–4 k instructions a call in the OpenAI bench).
 */
const PROFILER =
  /Heap::OnMoveEvent|CodeEventLogger::|LinuxPerfBasicLogger|LogFunctionCompilation|Logger::CodeCreateEvent/;

/** The package of a JavaScript function's file, as its perf-map name gives it. */
function ownerOfScript(file: string): Owner {
  if (file.startsWith('node:')) return 'node';
  const inModules = file.lastIndexOf('node_modules/');
  if (inModules < 0) return /\/packages\/[^/]+\//.test(file) ? 'instrumentation' : 'other';
  const rest = file.slice(inModules + 'node_modules/'.length);
  if (rest.startsWith('@opentelemetry/instrumentation') || rest.startsWith('@traceloop/'))
    return 'instrumentation';
  if (rest.startsWith('@opentelemetry/')) return 'otel';
  if (/^openai(?:-v\d+)?\//.test(rest)) return 'client';
  return 'other';
}

const COMPILER =
  /maglev|compiler::|turboshaft|Turbofan|TurboFan|OptimizedCompilationJob|Zone|Parser|Scanner|Preparse|BytecodeGenerator|interpreter::|Baseline(?:Compiler|Batch)|AstValueFactory|Compile/;
const GC =
  /Heap|Scaveng|Mark|Sweep|Evacuat|Slot|RememberedSet|Barrier|Worklist|Visitor|Compactor|MemoryAllocator|PagedSpace|NewSpace|MinorGC|GCTracer/;

/** The owner of a function as callgrind named it (`0x…` for JIT code, resolved through `map`). */
export function ownerOf(fn: string, map: PerfMap): Owner {
  let name = fn;
  if (/^0x[0-9a-f]+$/.test(fn)) name = map.lookup(Number.parseInt(fn, 16)) ?? fn;
  if (/^(?:JS|Script|Eval):/.test(name)) {
    const file = /((?:file:\/\/|\/|node:)\S*?)(?::\d+:\d+)?$/.exec(name);
    return file ? ownerOfScript(file[1]) : 'other';
  }
  if (PROFILER.test(name)) return 'profiler';
  if (/^(?:Builtins?[_:]|BytecodeHandler:|RegExp)/.test(name)) return 'builtins';
  if (COMPILER.test(name)) return 'compiler';
  if (GC.test(name)) return 'gc';
  if (name.includes('v8::') || name.includes('node::') || name.startsWith('uv_')) return 'builtins';
  return 'other';
}

/** Instructions by owner (and the total) from one process's callgrind output and perf map. */
export function costsByOwner(callgrind: string, perfMap: string): Record<Owner | 'total', number> {
  const { total, byFunction } = selfCosts(callgrind);
  const map = new PerfMap(perfMap);
  const out = Object.fromEntries([...OWNERS, 'total'].map((o) => [o, 0])) as Record<
    Owner | 'total',
    number
  >;
  for (const [fn, cost] of byFunction) out[ownerOf(fn, map)] += cost;
  out.total = total;
  return out;
}
