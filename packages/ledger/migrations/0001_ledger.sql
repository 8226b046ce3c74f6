-- Burnrate ledger: one row per priced (or refused) model / vector-database call.
-- Append-only. Idempotent on retry: a re-sent row with the same (trace_id, span_id) adds nothing
-- (INSERT ... ON CONFLICT DO NOTHING). Column names are the ledger's contract: the JSONL sink
-- writes one JSON object per line with exactly these keys (timestamps as RFC 3339 UTC strings,
-- money as decimal strings, tokens as integers, absent values as null).
CREATE TABLE IF NOT EXISTS burnrate_ledger (
  trace_id              text        NOT NULL,  -- 32 lowercase hex
  span_id               text        NOT NULL,  -- 16 lowercase hex
  time                  timestamptz NOT NULL,  -- when the call ended
  start_time            timestamptz,
  duration_ms           double precision,
  service               text        NOT NULL,  -- resource service.name
  service_instance      text,                  -- resource service.instance.id
  environment           text,                  -- resource deployment.environment.name
  team                  text,
  endpoint              text,
  tenant                text,
  agent                 text,
  tool                  text,
  run_id                text,                  -- burnrate.run.id
  session_id            text,                  -- gen_ai.conversation.id
  provider              text,                  -- gen_ai.provider.name (or db.system.name for vector DBs)
  operation             text,                  -- gen_ai.operation.name / db.operation.name
  request_model         text,
  response_model        text,
  pricing_model         text,                  -- burnrate.pricing.model: the catalog entry used
  catalog_version       text,                  -- burnrate.pricing.catalog
  input_tokens          bigint,                -- all input, cache included
  output_tokens         bigint,                -- all output, reasoning included
  cache_read_tokens     bigint,
  cache_write_tokens    bigint,
  reasoning_tokens      bigint,
  price_input_per_mtok        numeric,         -- the unit prices used, USD per 1M tokens
  price_output_per_mtok       numeric,
  price_cache_read_per_mtok   numeric,
  price_cache_write_per_mtok  numeric,
  price_request_usd           numeric,         -- flat per-request fee, where the catalog has one
  batch_factor          double precision,
  cost_usd              numeric,               -- null when unpriced or refused (never 0 for unknown)
  cost_input_usd        numeric,
  cost_output_usd       numeric,
  cost_cache_read_usd   numeric,
  cost_cache_write_usd  numeric,
  cost_request_usd      numeric,
  cost_source           text        NOT NULL,  -- usage | estimated | unpriced | refused
  outcome               text        NOT NULL,  -- ok | error
  stream                boolean,
  stream_abandoned      boolean,
  budget_name           text,
  budget_decision       text,                  -- burnrate.budget.decision / .evaluator.decision
  breaker_kind          text,
  breaker_mode          text,
  received_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX IF NOT EXISTS burnrate_ledger_time ON burnrate_ledger (time);
CREATE INDEX IF NOT EXISTS burnrate_ledger_run ON burnrate_ledger (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS burnrate_ledger_tenant_time ON burnrate_ledger (tenant, time);
