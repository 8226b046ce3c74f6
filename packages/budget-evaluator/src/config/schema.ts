import { z } from 'zod';
import { parsePeriod } from '../time/period.ts';
import { isValidTimeZone } from '../time/zoned.ts';
import { parseDuration } from './duration.ts';
import { matcherValue } from './matchers.ts';

/** Labels of the cost metrics a budget may select on (DESIGN.md, "Metrics"). */
export const SELECTOR_LABELS = [
  'team',
  'environment',
  'service',
  'endpoint',
  'tenant',
  'provider',
  'model',
  'operation',
  'db_system',
] as const;

export const SOURCES = ['llm', 'vectordb'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const SEVERITY = /^[a-z][a-z0-9_-]{0,31}$/;

const selector = z.record(z.string(), matcherValue).superRefine((sel, ctx) => {
  for (const key of Object.keys(sel)) {
    if (!(SELECTOR_LABELS as readonly string[]).includes(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `unknown label "${key}"; a selector may use ${SELECTOR_LABELS.join(', ')}`,
      });
    }
  }
});

const duration = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: 'expected a duration like 30s, 5m, 1h or 1d',
});

const ratio = z.union([
  z.number().positive().max(100),
  z
    .string()
    .regex(/^\d+(\.\d+)?%$/, 'expected a ratio (0.5) or a percentage ("50%")')
    .refine((s) => Number.parseFloat(s) > 0, 'must be above 0%'),
]);

const threshold = z.strictObject({
  at: ratio,
  kind: z.enum(['actual', 'forecast']),
  severity: z.string().regex(SEVERITY, 'expected a short lower-case word like warning'),
});

const forecast = z.strictObject({ lookback: duration.optional(), step: duration.optional() });

const timeZone = z.string().refine(isValidTimeZone, { message: 'unknown IANA time zone' });

const enforcement = z
  .strictObject({
    mode: z.enum(['block', 'degrade', 'record']),
    degrade_at: z.number().positive().max(100).optional(),
  })
  .refine((e) => e.degrade_at === undefined || e.mode === 'degrade', {
    message: 'degrade_at is only valid with mode: degrade',
    path: ['degrade_at'],
  });

const budget = z
  .strictObject({
    name: z.string().regex(NAME, 'expected letters, digits, _ . : - (at most 128)'),
    description: z.string().max(500).optional(),
    selector: selector.default({}),
    period: z.string(),
    timezone: timeZone.optional(),
    limit_usd: z.number().positive().finite(),
    sources: z.array(z.enum(SOURCES)).min(1).optional(),
    thresholds: z.array(threshold).min(1).optional(),
    forecast: forecast.optional(),
    enforcement: enforcement.optional(),
  })
  .superRefine((b, ctx) => {
    const p = parsePeriod(b.period, b.timezone ?? 'UTC');
    if (typeof p === 'string') ctx.addIssue({ code: 'custom', path: ['period'], message: p });
    if (b.timezone !== undefined && /^rolling-/.test(b.period)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: 'a rolling period has no time zone',
      });
    }
  });

export const configSchema = z
  .strictObject({
    dashboard_url: z.string().url().optional(),
    defaults: z
      .strictObject({
        timezone: timeZone.optional(),
        sources: z.array(z.enum(SOURCES)).min(1).optional(),
        thresholds: z.array(threshold).min(1).optional(),
        forecast: forecast.optional(),
      })
      .optional(),
    budgets: z.array(budget),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, number>();
    c.budgets.forEach((b, i) => {
      const first = seen.get(b.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', i, 'name'],
          message: `duplicate budget name "${b.name}" (first used by budgets[${first}])`,
        });
      } else seen.set(b.name, i);
      if (!b.thresholds && !c.defaults?.thresholds) {
        ctx.addIssue({
          code: 'custom',
          path: ['budgets', i],
          message: 'no thresholds: set thresholds here or in defaults.thresholds',
        });
      }
    });
  });

export type RawConfig = z.infer<typeof configSchema>;
export type RawThreshold = z.infer<typeof threshold>;
