import { describe, expect, it } from 'vitest';
import { contractProblems, variableQueryProblems } from './promql-check.ts';

describe('contractProblems', () => {
  it('accepts a query over contract metrics and labels, with Grafana variables', () => {
    const q =
      'sum by (model) (rate(burnrate_llm_cost_usd_total{team=~"$team"}[$__rate_interval])) / on (model) group_left () sum by (model) (rate(burnrate_llm_requests_total{cost_source!="unpriced", outcome="error"}[$__rate_interval]))';
    expect(contractProblems(q)).toEqual([]);
  });

  it('names a metric outside the contract', () => {
    expect(contractProblems('sum(rate(burnrate_llm_cost_dollars_total[5m]))')).toEqual([
      'metric burnrate_llm_cost_dollars_total is not in the contract',
    ]);
  });

  it('names a label the metric does not carry, in a matcher or a grouping', () => {
    expect(contractProblems('burnrate_vectordb_operations_total{model="x"}')).toEqual([
      'label model is not a label of burnrate_vectordb_operations_total',
    ]);
    expect(contractProblems('sum by (collection) (burnrate_vectordb_cost_usd_total)')).toEqual([
      'groups by collection, not a label of burnrate_vectordb_cost_usd_total',
    ]);
    expect(
      contractProblems('sum by (job) (increase(burnrate_llm_cost_usd_total[1h]))'),
    ).toHaveLength(1);
  });

  it('rejects a value outside a closed set (token_type, outcome, cost_source)', () => {
    expect(contractProblems('burnrate_llm_tokens_total{token_type="cached"}')).toEqual([
      'token_type="cached" is not a value the contract defines',
    ]);
    expect(contractProblems('burnrate_llm_tokens_total{token_type=~"input|output"}')).toEqual([]);
    expect(contractProblems('burnrate_llm_requests_total{outcome=~"ok|failed"}')).toEqual([
      'outcome="failed" is not a value the contract defines',
    ]);
  });

  it('reads __name__ alternations and rejects label_replace and broken syntax', () => {
    expect(
      contractProblems(
        '{__name__=~"burnrate_llm_requests_total|burnrate_vectordb_operations_total", team="a"}',
      ),
    ).toEqual([]);
    expect(contractProblems('{__name__=~"burnrate_llm_requests_total|node_load1"}')).toEqual([
      'metric node_load1 is not in the contract',
    ]);
    expect(
      contractProblems('label_replace(burnrate_llm_cost_usd_total, "x", "$1", "model", "(.*)")'),
    ).toEqual(['label_replace makes labels outside the contract']);
    expect(contractProblems('sum(rate(burnrate_llm_cost_usd_total[5m])').join()).toMatch(
      /does not parse/,
    );
  });
});

describe('variableQueryProblems', () => {
  it('accepts label_values over contract metrics and labels', () => {
    expect(
      variableQueryProblems('label_values(burnrate_llm_requests_total{team=~"$team"}, model)'),
    ).toEqual([]);
  });
  it('rejects a label the selector does not carry and other query kinds', () => {
    expect(
      variableQueryProblems('label_values(burnrate_vectordb_operations_total, model)'),
    ).toEqual(['label model is not a label of burnrate_vectordb_operations_total']);
    expect(variableQueryProblems('query_result(up)')[0]).toMatch(/unsupported variable query/);
  });
});
