import type { ModelCallRequest } from '@burnrate/core';

/** The process's resource labels, as the Collector will label its spans. */
export interface ResourceLabels {
  service: string;
  environment: string;
  team: string;
}

function parseResourceAttributes(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(raw);
    } catch {
      out[key] = raw;
    }
  }
  return out;
}

/**
 * service from OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES `service.name`, then the SDK's
 * default (`unknown_service:<argv0>`, as @opentelemetry/resources names it); environment from BURNRATE_ENVIRONMENT, then
 * `deployment.environment.name`, then `unknown`; team from BURNRATE_TEAM, then `burnrate.team`,
 * then `unassigned` (the Collector's fallbacks, collector/otelcol.yaml).
 */
export function resourceLabels(env: Record<string, string | undefined>): ResourceLabels {
  const attrs = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES);
  const pick = (...values: (string | undefined)[]) => values.map((v) => v?.trim()).find((v) => v);
  return {
    service:
      pick(env.OTEL_SERVICE_NAME, attrs['service.name']) ??
      (process.argv0 ? `unknown_service:${process.argv0}` : 'unknown_service'),
    environment: pick(env.BURNRATE_ENVIRONMENT, attrs['deployment.environment.name']) ?? 'unknown',
    team: pick(env.BURNRATE_TEAM, attrs['burnrate.team']) ?? 'unassigned',
  };
}

/** The labels a call's cost will carry in Prometheus, for matching budget selectors. */
export function callLabels(
  req: ModelCallRequest,
  model: string | undefined,
  resource: ResourceLabels,
): Record<string, string> {
  const a = req.attribution;
  return {
    service: resource.service,
    environment: resource.environment,
    team: a.team || resource.team,
    endpoint: a.endpoint || 'unassigned',
    tenant: a.tenant || 'unassigned',
    provider: req.provider || 'unknown',
    model: model || 'unknown',
    operation: req.operation || 'unknown',
  };
}
