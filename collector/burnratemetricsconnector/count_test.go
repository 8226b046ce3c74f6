package burnratemetricsconnector

import (
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// series name{labels}: labels as "k=v" pairs in any order.
func s(name string, labels ...string) string {
	labels = append([]string{}, labels...)
	sort.Strings(labels)
	return name + "{" + strings.Join(labels, ",") + "}"
}

// The labels of a call from app with no attribution.
func callLabels(extra ...string) []string {
	base := map[string]string{
		"service": "checkout", "environment": "prod", "team": "payments", "endpoint": "unassigned",
		"tenant": "unassigned", "agent": "unassigned", "provider": "openai", "model": "gpt-4o", "operation": "chat",
	}
	for _, e := range extra {
		k, v, _ := strings.Cut(e, "=")
		base[k] = v
	}
	out := make([]string, 0, len(base))
	for k, v := range base {
		out = append(out, k+"="+v)
	}
	return out[:len(out):len(out)] // every append copies
}

func expectSeries(t *testing.T, got, want map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("want %s = %s, got %q", k, v, got[k])
			}
		}
		for k, v := range got {
			if _, ok := want[k]; !ok {
				t.Errorf("unexpected %s = %s", k, v)
			}
		}
	}
}

func TestModelCallCostTokensRequests(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	h.consume(t,
		span{resource: app, attrs: llm(map[string]any{
			"gen_ai.usage.cache_read.input_tokens":     int64(400),
			"gen_ai.usage.cache_creation.input_tokens": 50.0, // a whole double is a count
			"gen_ai.usage.reasoning.output_tokens":     int64(30),
		})},
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": int64(2)}), err: true}, // an integer cost
		// Unpriced: requests and tokens, no cost (never a $0 sample).
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.source": "unpriced", "burnrate.cost.usd": nil})},
		// Not priced by Burnrate: nothing.
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.source": nil})},
	)
	labels := callLabels()
	expectSeries(t, h.series(t), map[string]string{
		s("burnrate.llm.cost.usd", labels...):                                               "2.0125",
		s("burnrate.llm.tokens", append(labels, "token_type=input")...):                     "3000",
		s("burnrate.llm.tokens", append(labels, "token_type=output")...):                    "300",
		s("burnrate.llm.tokens", append(labels, "token_type=cache_read")...):                "400",
		s("burnrate.llm.tokens", append(labels, "token_type=cache_write")...):               "50",
		s("burnrate.llm.tokens", append(labels, "token_type=reasoning")...):                 "30",
		s("burnrate.llm.requests", append(labels, "outcome=ok", "cost_source=usage")...):    "1",
		s("burnrate.llm.requests", append(labels, "outcome=error", "cost_source=usage")...): "1",
		s("burnrate.llm.requests", append(labels, "outcome=ok", "cost_source=unpriced")...): "1",
	})
}

func TestVectorOperations(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	vec := map[string]any{
		"db.system.name": "pinecone", "db.operation.name": "query", "burnrate.cost.source": "usage",
		"burnrate.cost.usd": 0.0004, "burnrate.tenant": "acme", "http.route": "/search",
	}
	h.consume(t, span{resource: app, attrs: vec}, span{resource: app, attrs: vec})
	labels := []string{"service=checkout", "environment=prod", "team=payments", "endpoint=/search",
		"tenant=acme", "agent=unassigned", "db_system=pinecone", "operation=query"}
	expectSeries(t, h.series(t), map[string]string{
		s("burnrate.vectordb.operations", labels...): "2",
		s("burnrate.vectordb.cost.usd", labels...):   "0.0008",
	})
}

func TestAgentRunsStepsToolsBreakersAndMetered(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	in := func(step any, tool string, metered bool) span {
		extra := map[string]any{"gen_ai.agent.name": "planner", "burnrate.run.step": step, "gen_ai.usage.input_tokens": int64(300)}
		if tool != "" {
			extra["gen_ai.tool.name"] = tool
		}
		if metered {
			extra["burnrate.metered"] = true
		}
		return span{resource: app, attrs: llm(extra)}
	}
	h.consume(t,
		in(int64(1), "", false),
		in(3.0, "search", true), // metered: only the breakdowns
		in(int64(40), "", true),
		in(math.NaN(), "", false), // no step
		span{resource: app, attrs: map[string]any{ // the run span: never spend
			"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner",
			"burnrate.run.cost_usd": 0.03, "burnrate.run.calls": int64(4),
		}},
		span{resource: app, attrs: llm(map[string]any{"burnrate.metered": true, "gen_ai.agent.name": "planner",
			"burnrate.breaker.kind": "loop", "burnrate.breaker.mode": "enforce"})},
		span{resource: app, attrs: map[string]any{"burnrate.breaker.kind": "weird", "burnrate.breaker.mode": int64(3)}},
	)
	agent := callLabels("agent=planner")
	expectSeries(t, h.series(t), map[string]string{
		s("burnrate.llm.cost.usd", agent...):                                                                                          "0.025",
		s("burnrate.llm.tokens", append(agent, "token_type=input")...):                                                                "600",
		s("burnrate.llm.tokens", append(agent, "token_type=output")...):                                                               "200",
		s("burnrate.llm.requests", append(agent, "outcome=ok", "cost_source=usage")...):                                               "2",
		s("burnrate.agent.step.input_tokens", "service=checkout", "environment=prod", "agent=planner", "step=1"):                      "1 300 [0 1 0 0 0 0 0 0 0 0 0 0]",
		s("burnrate.agent.step.input_tokens", "service=checkout", "environment=prod", "agent=planner", "step=2"):                      "1 300 [0 1 0 0 0 0 0 0 0 0 0 0]",
		s("burnrate.agent.step.input_tokens", "service=checkout", "environment=prod", "agent=planner", "step=32+"):                    "1 300 [0 1 0 0 0 0 0 0 0 0 0 0]",
		s("burnrate.agent.tool.cost.usd", "service=checkout", "environment=prod", "team=payments", "agent=planner", "tool=search"):    "0.0125",
		s("burnrate.agent.run.cost.usd", "service=checkout", "environment=prod", "team=payments", "agent=planner"):                    "1 0.03 [0 0 0 0 0 1 0 0 0 0 0 0 0 0]",
		s("burnrate.agent.run.calls", "service=checkout", "environment=prod", "team=payments", "agent=planner"):                       "1 4 [0 0 0 1 0 0 0 0 0 0 0 0 0]",
		s("burnrate.agent.breaker.trips", "service=checkout", "environment=prod", "agent=planner", "kind=loop", "mode=enforce"):       "1",
		s("burnrate.agent.breaker.trips", "service=checkout", "environment=prod", "agent=unassigned", "kind=unknown", "mode=unknown"): "1",
	})
}

func TestBadValuesCountOnlyAsInvalid(t *testing.T) {
	h := newHarness(t, shippedConfig(t, map[string]string{"BURNRATE_MAX_SPAN_COST_USD": "10.5"}))
	cases := []struct {
		reason string
		attrs  map[string]any
	}{
		{"cost_not_number", llm(map[string]any{"burnrate.cost.usd": "0.25"})},
		{"cost_not_number", llm(map[string]any{"burnrate.cost.usd": true})},
		{"cost_not_number", llm(map[string]any{"burnrate.cost.usd": []any{1.0}})},
		{"cost_not_finite", llm(map[string]any{"burnrate.cost.usd": math.NaN()})},
		{"cost_not_finite", llm(map[string]any{"burnrate.cost.usd": math.Inf(1)})},
		{"cost_not_finite", llm(map[string]any{"burnrate.cost.usd": math.Inf(-1)})},
		{"cost_negative", llm(map[string]any{"burnrate.cost.usd": -0.01})},
		{"cost_negative", llm(map[string]any{"burnrate.cost.usd": int64(-1)})},
		{"cost_too_large", llm(map[string]any{"burnrate.cost.usd": 10.51})},
		{"cost_too_large", llm(map[string]any{"burnrate.cost.usd": int64(11)})},
		{"tokens_invalid", llm(map[string]any{"gen_ai.usage.input_tokens": int64(-1)})},
		{"tokens_invalid", llm(map[string]any{"gen_ai.usage.output_tokens": 2.5})},
		{"tokens_invalid", llm(map[string]any{"gen_ai.usage.cache_read.input_tokens": "12"})},
		{"tokens_invalid", llm(map[string]any{"gen_ai.usage.cache_creation.input_tokens": math.Inf(1)})},
		{"tokens_invalid", llm(map[string]any{"gen_ai.usage.reasoning.output_tokens": int64(1<<53 + 1)})},
		{"cost_not_number", llm(map[string]any{"burnrate.cost.usd": "x", "gen_ai.usage.input_tokens": int64(-1)})}, // first reason wins
		{"cost_not_number", map[string]any{"db.system.name": "qdrant", "burnrate.cost.source": "usage", "burnrate.cost.usd": "1"}},
		{"cost_negative", map[string]any{"gen_ai.operation.name": "invoke_agent", "burnrate.run.cost_usd": -1.0, "burnrate.run.calls": int64(2)}},
		{"calls_invalid", map[string]any{"gen_ai.operation.name": "invoke_agent", "burnrate.run.cost_usd": 1.0, "burnrate.run.calls": 1.5}},
		{"calls_invalid", map[string]any{"gen_ai.operation.name": "invoke_agent", "burnrate.run.cost_usd": 1.0, "burnrate.run.calls": math.NaN()}},
	}
	want := map[string]int{}
	for _, c := range cases {
		h.consume(t, span{resource: app, attrs: c.attrs})
		want[c.reason]++
	}
	// Not counted as invalid: metered spans (their app counts them) and spans nobody priced.
	h.consume(t,
		span{resource: app, attrs: llm(map[string]any{"burnrate.metered": true, "burnrate.cost.usd": math.NaN()})},
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.source": nil, "burnrate.cost.usd": "x"})},
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": 10.5, "gen_ai.usage.input_tokens": float64(1 << 53)})}, // the limits are valid
	)
	labels := callLabels()
	wantSeries := map[string]string{
		s("burnrate.llm.cost.usd", labels...):                                            "10.5",
		s("burnrate.llm.tokens", append(labels, "token_type=input")...):                  "9007199254740992",
		s("burnrate.llm.tokens", append(labels, "token_type=output")...):                 "100",
		s("burnrate.llm.requests", append(labels, "outcome=ok", "cost_source=usage")...): "1",
	}
	for r, n := range want {
		wantSeries[s("burnrate.invalid.spans", "service=checkout", "reason="+r)] = strconv.Itoa(n)
	}
	expectSeries(t, h.series(t), wantSeries)
}
