// Preloaded (`node --import`) into the evaluator by bench/evaluator-scale.ts: writes the process's
// memory use to $BURNRATE_HEAP_PROBE every 200 ms, so the bench reads the heap from outside.
import { writeFileSync } from 'node:fs';

const file = process.env.BURNRATE_HEAP_PROBE;
if (file) {
  setInterval(() => writeFileSync(file, JSON.stringify(process.memoryUsage())), 200).unref();
}
