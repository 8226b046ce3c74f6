export { calendarPeriod, isValidTimeZone, zonedInstant } from '@burnrate/budget-evaluator';
export {
  type Band,
  type ForecastOptions,
  type ForecastResult,
  type HorizonForecast,
  type HorizonName,
  MODEL_NAME,
  rollingForecast,
  type SpendPoint,
} from './forecast.ts';
