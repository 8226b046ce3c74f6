import { isValidTimeZone } from '@burnrate/budget-evaluator';
import { z } from 'zod';
import { parseSchedule } from './schedule.ts';

const secretRef = z.union(
  [
    z.string().min(1),
    z.strictObject({ env: z.string().min(1) }),
    z.strictObject({ file: z.string().min(1) }),
  ],
  { error: 'expected a string, { env: VARIABLE } or { file: /path/to/secret }' },
);

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, "_", "." and "-" (at most 64)');

const slack = z.strictObject({
  type: z.literal('slack'),
  name: name.optional(),
  webhook_url: secretRef,
  timeout_seconds: z.number().positive().max(300).optional(),
});

const webhook = z.strictObject({
  type: z.literal('webhook'),
  name: name.optional(),
  url: secretRef,
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'not a header name'), secretRef).optional(),
  timeout_seconds: z.number().positive().max(300).optional(),
});

const address = z.string().regex(/^[^\s<>@]+@[^\s<>@]+$/, 'expected an e-mail address');

const email = z.strictObject({
  type: z.literal('email'),
  name: name.optional(),
  from: address,
  from_name: z.string().optional(),
  to: z.array(address).min(1),
  subject: z.string().min(1).optional(),
  smtp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    /** `starttls` (upgrade, required), `implicit` (TLS from the start, port 465) or `none`. */
    tls: z.enum(['starttls', 'implicit', 'none']).optional(),
    username: z.string().min(1).optional(),
    password: secretRef.optional(),
    ca_file: z.string().min(1).optional(),
    hello_name: z.string().min(1).optional(),
    timeout_seconds: z.number().positive().max(300).optional(),
  }),
});

const channel = z.discriminatedUnion('type', [slack, webhook, email], {
  error: 'each channel needs type: slack, webhook or email',
});

export const digestSchema = z.strictObject({
  schedule: z.string().refine((s) => typeof parseSchedule(s) !== 'string', {
    error: (i) => parseSchedule(String(i.input)) as string,
  }),
  timezone: z
    .string()
    .refine(isValidTimeZone, { error: 'unknown time zone (use an IANA name like Europe/Berlin)' })
    .optional(),
  prometheus_url: z.url({ protocol: /^https?$/ }).optional(),
  dashboard_url: z.url().optional(),
  top: z.number().int().min(1).max(25).optional(),
  budgets_at_risk: z
    .strictObject({
      utilization: z.number().positive().optional(),
      forecast: z.number().positive().optional(),
    })
    .optional(),
  spend_jump: z
    .strictObject({ ratio: z.number().gt(1).optional(), min_usd: z.number().min(0).optional() })
    .optional(),
  channels: z.array(channel).min(1),
});

export type RawDigestConfig = z.infer<typeof digestSchema>;
