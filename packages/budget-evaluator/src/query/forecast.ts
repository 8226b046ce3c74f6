/** Forecast to period end from spend so far and the recent per-step rates. */
export interface Forecast {
  /** Mean recent rate in USD per second. */
  ratePerSecond: number;
  forecast: number;
  low: number;
  high: number;
}

/**
 * forecast = spent + mean rate x seconds left; the band is mean -/+ one standard deviation of
 * the per-step rates (floored at 0). `rates` holds one value per step of the lookback (missing
 * steps count as 0). For a rolling window the evaluator passes spent = 0 and the window length:
 * the forecast is what the window will hold if the recent rate continues for a whole window.
 */
export function forecastSpend(
  spent: number,
  rates: readonly number[],
  remainingSeconds: number,
): Forecast {
  if (rates.length === 0 || remainingSeconds <= 0) {
    return { ratePerSecond: 0, forecast: spent, low: spent, high: spent };
  }
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance =
    rates.length > 1 ? rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1) : 0;
  const sd = Math.sqrt(variance);
  return {
    ratePerSecond: mean,
    forecast: spent + mean * remainingSeconds,
    low: spent + Math.max(0, mean - sd) * remainingSeconds,
    high: spent + (mean + sd) * remainingSeconds,
  };
}
