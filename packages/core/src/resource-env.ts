import type { Attributes } from '@opentelemetry/api';
import { ATTR_BURNRATE_TEAM, ATTR_DEPLOYMENT_ENVIRONMENT_NAME } from './semconv.ts';

/** A bad environment variable: names the variable and what is wrong with it. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const LABEL_VALUE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,62}$/;

/** Checks a value that will become a metric label: short, no spaces or free text. */
export function checkLabelValue(variable: string, value: string): string {
  if (!LABEL_VALUE.test(value)) {
    throw new ConfigError(
      variable,
      `expected a short label (letters, digits, "_", ".", ":", "/", "-"; at most 63 characters), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Resource attributes from `BURNRATE_TEAM` and `BURNRATE_ENVIRONMENT`. (`OTEL_RESOURCE_ATTRIBUTES`
 * is read by the OpenTelemetry SDK itself; these two win over it because they are more specific.)
 * Throws a ConfigError naming the variable when a value cannot be a label.
 */
export function burnrateResourceAttributes(
  env: Record<string, string | undefined> = process.env,
): Attributes {
  const attrs: Attributes = {};
  const team = env.BURNRATE_TEAM?.trim();
  if (team) attrs[ATTR_BURNRATE_TEAM] = checkLabelValue('BURNRATE_TEAM', team);
  const environment = env.BURNRATE_ENVIRONMENT?.trim();
  if (environment) {
    attrs[ATTR_DEPLOYMENT_ENVIRONMENT_NAME] = checkLabelValue('BURNRATE_ENVIRONMENT', environment);
  }
  return attrs;
}
