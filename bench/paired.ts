/**
 * Burnrate against a peer, round by round. The bench runs its variants interleaved, each round one
 * fresh process per variant, one after the other: the machine's state (other load, CPU frequency)
 * is about the same for the processes of one round. So the difference Burnrate − peer is taken
 * within each round, and the rounds' differences give a median and an interval for it, free of
 * any assumption about their distribution (the order statistics of a sign test). A process's
 * per-call CPU on this kind of VM moves by tens of µs from one process to the next; the interval
 * says whether a difference is more than that.
 */

/** The median of `xs` and the interval that holds the true median with `confidence` or more. */
export interface MedianInterval {
  median: number;
  low: number;
  high: number;
  /** The interval's actual confidence (order statistics give steps, not exactly 95 %). */
  confidence: number;
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n; // P(X = 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * The median and a distribution-free interval for it: [x(k), x(n−k+1)] of the sorted values, with
 * the largest k whose confidence 1 − 2·P(Binomial(n, ½) ≤ k − 1) is at least `level`. Needs 6
 * values for 95 % (with fewer, even the range holds the median with less than that): the
 * interval is then the whole range and `confidence` says how much it is worth.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  if (values.length === 0) throw new Error('medianInterval: no values');
  const xs = [...values].sort((a, b) => a - b);
  const n = xs.length;
  const median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  let k = 1;
  while (k < Math.floor(n / 2) && 1 - 2 * binomialHalfCdf(n, k) >= level) k++;
  return { median, low: xs[k - 1], high: xs[n - k], confidence: 1 - 2 * binomialHalfCdf(n, k - 1) };
}

/** What the interval says about Burnrate − peer (µs of CPU: negative = Burnrate lighter). */
export function verdict(i: MedianInterval): 'lighter' | 'heavier' | 'not distinguishable' {
  if (i.high < 0) return 'lighter';
  if (i.low > 0) return 'heavier';
  return 'not distinguishable';
}

/**
 * One table row per measure: for each peer, the median of the per-round differences (µs),
 * its interval, the rounds in which Burnrate was the lighter, and the verdict.
 */
export function pairedTable<R>(
  rounds: { burnrate: R[]; peers: [string, R[]][] },
  measures: [string, (r: R) => number][],
  /** A peer that records nothing for a measure (no span) is not compared on it. */
  compared: (peer: string, measure: string) => boolean = () => true,
): string[] {
  const n = rounds.burnrate.length;
  const peers = rounds.peers.map(([name]) => name);
  const lines = [
    `| measure | ${peers.map((p) => `Burnrate − ${p}: median µs [interval] | rounds Burnrate lighter | verdict`).join(' | ')} |`,
    `| --- | ${peers.map(() => '---: | ---: | ---').join(' | ')} |`,
  ];
  let confidence = 1;
  for (const [name, value] of measures) {
    const cells = rounds.peers.map(([peer, peerRuns]) => {
      if (!compared(peer, name)) return '— (no span) | — | —';
      const diffs = rounds.burnrate.map((b, r) => value(b) - value(peerRuns[r]));
      const i = medianInterval(diffs);
      confidence = Math.min(confidence, i.confidence);
      const lighter = diffs.filter((d) => d < 0).length;
      const f = (x: number) => x.toFixed(1);
      return `${f(i.median)} [${f(i.low)}, ${f(i.high)}] | ${lighter} of ${n} | ${verdict(i)}`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    `Intervals: ${(confidence * 100).toFixed(1)} % or more (order statistics of the ${n} rounds' differences).`,
  );
  return lines;
}
