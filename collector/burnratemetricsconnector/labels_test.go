package burnratemetricsconnector

import (
	"fmt"
	"strings"
	"testing"
)

// The labels' precedence and fallbacks (collector/README.md "What is counted").
func TestLabelPrecedence(t *testing.T) {
	cases := []struct {
		name     string
		resource map[string]any
		attrs    map[string]any
		want     []string
	}{
		{"fallbacks", map[string]any{}, llm(map[string]any{"gen_ai.provider.name": nil, "gen_ai.request.model": nil}),
			[]string{"service=unknown_service", "environment=unknown", "team=unassigned", "endpoint=unassigned", "tenant=unassigned",
				"agent=unassigned", "provider=unknown", "model=unknown", "operation=chat"}},
		{"empty strings fall back", map[string]any{"service.name": "", "deployment.environment.name": "", "burnrate.team": ""},
			llm(map[string]any{"burnrate.team": "", "burnrate.endpoint": "", "http.route": "", "burnrate.tenant": "", "gen_ai.agent.name": "",
				"gen_ai.provider.name": "", "gen_ai.request.model": "", "gen_ai.response.model": "gpt-4o-2024"}),
			[]string{"service=unknown_service", "environment=unknown", "team=unassigned", "endpoint=unassigned", "tenant=unassigned",
				"agent=unassigned", "provider=unknown", "model=gpt-4o-2024", "operation=chat"}},
		{"span wins over resource, burnrate.* over conventions", app,
			llm(map[string]any{"burnrate.team": "search", "burnrate.endpoint": "/a", "http.route": "/b", "burnrate.tenant": "acme",
				"burnrate.agent": "other", "gen_ai.agent.name": "planner", "gen_ai.response.model": "x"}),
			[]string{"service=checkout", "environment=prod", "team=search", "endpoint=/a", "tenant=acme",
				"agent=other", "provider=openai", "model=gpt-4o", "operation=chat"}},
		{"route and resource team", app, llm(map[string]any{"http.route": "/b", "gen_ai.agent.name": "planner"}),
			[]string{"service=checkout", "environment=prod", "team=payments", "endpoint=/b", "tenant=unassigned",
				"agent=planner", "provider=openai", "model=gpt-4o", "operation=chat"}},
		{"non-string values as text", map[string]any{"service.name": int64(7)}, llm(map[string]any{"burnrate.tenant": int64(42)}),
			[]string{"service=7", "environment=unknown", "team=unassigned", "endpoint=unassigned", "tenant=42",
				"agent=unassigned", "provider=openai", "model=gpt-4o", "operation=chat"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, shippedConfig(t, nil))
			h.consume(t, span{resource: c.resource, attrs: c.attrs})
			got := h.series(t)
			if v := got[s("burnrate.llm.cost.usd", c.want...)]; v != "0.0125" {
				t.Errorf("no cost series with labels %v; got %v", c.want, got)
			}
		})
	}
}

func TestOperationAndModelFallbacks(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	// A vector span's operation is db.operation.name, unless it also has gen_ai.operation.name.
	h.consume(t,
		span{resource: app, attrs: map[string]any{"db.system.name": "chroma", "burnrate.cost.source": "estimated"}},
		span{resource: app, attrs: map[string]any{"db.system.name": "chroma", "db.operation.name": "query", "gen_ai.operation.name": "embeddings", "burnrate.cost.source": "usage"}},
	)
	base := []string{"service=checkout", "environment=prod", "team=payments", "endpoint=unassigned", "tenant=unassigned", "agent=unassigned", "db_system=chroma"}
	got := h.series(t)
	for _, op := range []string{"unknown", "embeddings"} {
		if v := got[s("burnrate.vectordb.operations", append(base, "operation="+op)...)]; v != "1" {
			t.Errorf("operation=%s: %q in %v", op, v, got)
		}
	}
}

// The label caps are the labelcap processor's, per service, applied to the labels only.
func TestLabelCaps(t *testing.T) {
	h := newHarness(t, shippedConfig(t, map[string]string{"BURNRATE_MAX_AGENTS": "2", "BURNRATE_MAX_TOOLS": "1", "BURNRATE_MAX_TEAMS": "1"}))
	other := map[string]any{"service.name": "other-service", "burnrate.team": "t9"}
	var spans []span
	for i := 0; i < 4; i++ {
		spans = append(spans, span{resource: app, attrs: llm(map[string]any{"gen_ai.agent.name": fmt.Sprintf("a%d", i), "gen_ai.tool.name": fmt.Sprintf("tool%d", i)})})
	}
	spans = append(spans,
		span{resource: app, attrs: llm(map[string]any{"gen_ai.agent.name": "a0", "burnrate.team": "search"})},                   // kept agent; a 2nd team
		span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": string(make([]byte, 65)), "gen_ai.agent.name": "a1"})}, // too long
		span{resource: other, attrs: llm(map[string]any{"gen_ai.agent.name": "a3"})},                                            // its own caps
		span{resource: app, attrs: map[string]any{"burnrate.metered": true, "gen_ai.agent.name": "zz"}},                         // selected: counted in the cap
	)
	h.consume(t, spans...)
	got := map[string]string{}
	for k, v := range h.series(t) {
		if strings.HasPrefix(k, "burnrate.llm.cost.usd{") || strings.HasPrefix(k, "burnrate.agent.tool.cost.usd{") {
			got[k] = v
		}
	}
	tool := func(agent, tool string) string {
		return s("burnrate.agent.tool.cost.usd", "service=checkout", "environment=prod", "team=payments", "agent="+agent, "tool="+tool)
	}
	expectSeries(t, got, map[string]string{
		s("burnrate.llm.cost.usd", callLabels("agent=a0")...):                 "0.0125",
		s("burnrate.llm.cost.usd", callLabels("agent=a1")...):                 "0.0125",
		s("burnrate.llm.cost.usd", callLabels("agent=other")...):              "0.025",
		s("burnrate.llm.cost.usd", callLabels("agent=a0", "team=other")...):   "0.0125",
		s("burnrate.llm.cost.usd", callLabels("agent=a1", "tenant=other")...): "0.0125",
		s("burnrate.llm.cost.usd", "service=other-service", "environment=unknown", "team=t9", "endpoint=unassigned", "tenant=unassigned",
			"agent=a3", "provider=openai", "model=gpt-4o", "operation=chat"): "0.0125",
		tool("a0", "tool0"):    "0.0125",
		tool("a1", "other"):    "0.0125",
		tool("other", "other"): "0.025",
	})
	tel := h.telemetry(t)
	// agents a2, a3 (a0, a1 kept; zz of the metered span folded too), tools 1-3, the team, the tenant.
	for name, want := range map[string]int64{
		"otelcol_labelcap_folded{label=agent}":  3,
		"otelcol_labelcap_folded{label=tool}":   3,
		"otelcol_labelcap_folded{label=team}":   1,
		"otelcol_labelcap_folded{label=tenant}": 1,
	} {
		if tel[name] != want {
			t.Errorf("%s = %d, want %d (%v)", name, tel[name], want, tel)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
