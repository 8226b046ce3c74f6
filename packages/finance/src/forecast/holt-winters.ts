// Additive Holt-Winters with a damped trend and a weekly season, fitted by grid search on the
// one-step-ahead squared error; prediction bands by simulating sample paths from the fitted
// model with bootstrapped one-step residuals. Pure arithmetic, no dependencies.

export interface HwParams {
  alpha: number;
  beta: number;
  gamma: number;
  /** Trend damping: 1 = linear trend, < 1 fades the trend out over the horizon. */
  phi: number;
}

export interface HwState {
  level: number;
  trend: number;
  /** Seasonal terms by position: day t uses season[t % period]. */
  season: number[];
  /** Index of the next (first unseen) day. */
  next: number;
}

export interface HwFit {
  params: HwParams;
  state: HwState;
  /** One-step-ahead errors after the burn-in week (what the bands resample). */
  residuals: number[];
  /** Root mean squared one-step error. */
  rmse: number;
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7];
const BETAS = [0.01, 0.03, 0.1, 0.2];
const GAMMAS = [0.05, 0.1, 0.2, 0.4];
const PHIS = [0.9, 0.98, 1];

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Initial state from the first two seasons: level = first season's mean, trend 0. */
function initialState(y: readonly number[], period: number): HwState {
  const m1 = mean(y.slice(0, period));
  const m2 = mean(y.slice(period, 2 * period));
  const season = Array.from({ length: period }, (_, i) => (y[i] - m1 + (y[i + period] - m2)) / 2);
  return { level: m1, trend: 0, season, next: 0 };
}

/** Updates `state` with observation `y` and returns the one-step error made before it. */
function step(state: HwState, y: number, p: HwParams, period: number): number {
  const i = state.next % period;
  const s = state.season[i];
  const damped = p.phi * state.trend;
  const error = y - (state.level + damped + s);
  const level = p.alpha * (y - s) + (1 - p.alpha) * (state.level + damped);
  state.trend = p.beta * (level - state.level) + (1 - p.beta) * damped;
  state.season[i] = p.gamma * (y - level) + (1 - p.gamma) * s;
  state.level = level;
  state.next++;
  return error;
}

/** Horizons (days) whose per-day forecast errors the fit minimises together. */
const FIT_HORIZONS = [1, 7, 28];

/**
 * Runs the model over `y`. `score` is the mean squared per-day error of the forecasts of the
 * next 1, 7 and 28 days' total from every day after the burn-in week, summed over the three
 * horizons: scoring multi-step totals keeps the fit from reading a step change as a trend.
 */
function run(y: readonly number[], p: HwParams, period: number) {
  const state = initialState(y, period);
  const residuals: number[] = [];
  const prefix = [0];
  for (const v of y) prefix.push(prefix[prefix.length - 1] + v);
  const sq = FIT_HORIZONS.map(() => 0);
  const count = FIT_HORIZONS.map(() => 0);
  const dampSums = FIT_HORIZONS.map((h) => sumOfDamps(p.phi, h));
  for (let t = 0; t < y.length; t++) {
    if (t >= period) {
      FIT_HORIZONS.forEach((h, j) => {
        if (t + h > y.length) return;
        let seasons = 0;
        for (let k = 1; k <= h; k++) seasons += state.season[(t + k - 1) % period];
        const predicted = h * state.level + dampSums[j] * state.trend + seasons;
        const e = (prefix[t + h] - prefix[t] - predicted) / h;
        sq[j] += e * e;
        count[j]++;
      });
    }
    const e = step(state, y[t], p, period);
    if (t >= period) residuals.push(e);
  }
  const score = sq.reduce((a, s, j) => a + (count[j] > 0 ? s / count[j] : 0), 0);
  const sse = residuals.reduce((a, e) => a + e * e, 0);
  return { state, residuals, sse, score };
}

/** Σ_{k=1..h} (φ + φ² + … + φ^k). */
function sumOfDamps(phi: number, h: number): number {
  let total = 0;
  let damp = 0;
  let phiPow = 1;
  for (let k = 1; k <= h; k++) {
    phiPow *= phi;
    damp += phiPow;
    total += damp;
  }
  return total;
}

/** Fits the model to `y` (at least two whole seasons) by grid search over the parameters. */
export function fitHoltWinters(y: readonly number[], period = 7): HwFit {
  if (y.length < 2 * period) throw new Error(`need at least ${2 * period} points`);
  let best: { params: HwParams; score: number } | undefined;
  // Under four weeks the 28-day totals cannot be scored: a trend would be fitted on one-step
  // errors alone, and a recent step reads as a trend. Keep the trend nearly fixed then.
  const betas = y.length >= 4 * period ? BETAS : BETAS.slice(0, 1);
  for (const alpha of ALPHAS) {
    for (const beta of betas) {
      for (const gamma of GAMMAS) {
        for (const phi of PHIS) {
          const params = { alpha, beta, gamma, phi };
          const { score } = run(y, params, period);
          if (!best || score < best.score - 1e-12) best = { params, score };
        }
      }
    }
  }
  const params = best!.params;
  const { state, residuals, sse } = run(y, params, period);
  return { params, state, residuals, rmse: Math.sqrt(sse / Math.max(1, residuals.length)) };
}

/** Point forecasts for the next `h` days (not floored). */
export function pointForecast(fit: HwFit, h: number, period = 7): number[] {
  const { level, trend, season, next } = fit.state;
  const out: number[] = [];
  let damp = 0;
  let phiPow = 1;
  for (let k = 1; k <= h; k++) {
    phiPow *= fit.params.phi;
    damp += phiPow;
    out.push(level + damp * trend + season[(next + k - 1) % period]);
  }
  return out;
}

/** A small seeded PRNG (mulberry32), so forecasts are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Simulates `paths` futures of the fitted model (each day: the model's forecast plus a
 * resampled one-step residual, fed back into the state; spend floored at 0) and returns, per
 * path, the weighted sum Σ weights[k] × day k. Weights let a partial first or last day count
 * in part.
 */
export function simulateSums(
  fit: HwFit,
  weights: readonly number[],
  paths: number,
  random: () => number,
  period = 7,
): number[] {
  const sums: number[] = [];
  // Residuals are resampled with either sign: the next surprise may go up or down whatever the
  // history's last one did, so the band always extends both ways.
  const res = fit.residuals.length > 0 ? fit.residuals : [0];
  for (let p = 0; p < paths; p++) {
    const state: HwState = { ...fit.state, season: [...fit.state.season] };
    let sum = 0;
    for (const w of weights) {
      const i = state.next % period;
      const forecast = state.level + fit.params.phi * state.trend + state.season[i];
      const sign = random() < 0.5 ? -1 : 1;
      const y = Math.max(0, forecast + sign * res[Math.floor(random() * res.length)]);
      step(state, y, fit.params, period);
      sum += w * y;
    }
    sums.push(sum);
  }
  return sums;
}

/** The q-quantile (0…1) of `xs` by linear interpolation. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
