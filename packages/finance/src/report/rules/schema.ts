import { matcherValue } from '@burnrate/budget-evaluator';
import { z } from 'zod';
import { GROUP_LABELS } from '../spend.ts';
import { toMatchers } from './selector.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export const percentage = z
  .string({ error: 'expected a percentage like 10%' })
  .regex(/^\d+(\.\d+)?%$/, 'expected a percentage like 10%')
  .refine((s) => Number.parseFloat(s) <= 1000, 'at most 1000%');

const selector = z
  .union([z.string(), z.record(z.string(), matcherValue)], {
    error: 'expected PromQL matchers (team="platform") or a map of label: value',
  })
  .superRefine((sel, ctx) => {
    const m = toMatchers(sel);
    if (typeof m === 'string') ctx.addIssue({ code: 'custom', message: m });
  });

const split = z.union([z.literal('usage'), z.record(z.string().min(1), percentage)], {
  error: 'expected usage or a map of payer: percentage, e.g. { search: 60%, support: 40% }',
});

function checkSplit(
  s: { split: 'usage' | Record<string, string>; receivers?: string[] },
  ctx: z.RefinementCtx,
): void {
  if (typeof s.split === 'object') {
    const sum = Object.values(s.split).reduce((a, p) => a + Number.parseFloat(p), 0);
    if (Math.abs(sum - 100) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['split'],
        message: `fixed percentages must add up to 100%, these add up to ${Number(sum.toFixed(6))}%`,
      });
    }
    if (s.receivers !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['receivers'],
        message: 'receivers go with split: usage (a fixed split names its receivers itself)',
      });
    }
  }
}

const receivers = z.array(z.string().min(1)).min(1);

const pool = z
  .strictObject({
    name: z.string().regex(NAME, 'expected letters, digits, _ . : - (at most 64)'),
    description: z.string().max(500).optional(),
    selector,
    split,
    receivers: receivers.optional(),
  })
  .superRefine(checkSplit);

const unassigned = z
  .strictObject({ split, receivers: receivers.optional() })
  .superRefine(checkSplit);

const markup = z.strictObject({
  default: percentage.optional(),
  payers: z.record(z.string().min(1), percentage).optional(),
});

export const rulesSchema = z
  .strictObject({
    payer: z.enum(GROUP_LABELS).default('team'),
    shared: z.array(pool).default([]),
    unassigned: unassigned.optional(),
    markup: markup.optional(),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.shared.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['shared', i, 'name'],
          message: `duplicate pool name "${p.name}"`,
        });
      }
      seen.add(p.name);
    });
  });

export type RawRules = z.infer<typeof rulesSchema>;
