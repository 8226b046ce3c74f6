package labelcapprocessor

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// burnrateConfig is collector/otelcol.yaml's labelcap with its defaults.
func burnrateConfig() *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.OnlySpansWith = []string{"burnrate.cost.source", "burnrate.metered", "burnrate.run.cost_usd", "burnrate.breaker.kind"}
	cfg.Labels = []LabelConfig{
		{Name: "agent", Attributes: []string{"burnrate.agent", "gen_ai.agent.name"}, FoldTo: "burnrate.agent", MaxValues: 50},
		{Name: "tool", Attributes: []string{"burnrate.tool", "gen_ai.tool.name"}, FoldTo: "burnrate.tool", MaxValues: 50},
		{Name: "tenant", Attributes: []string{"burnrate.tenant"}, FoldTo: "burnrate.tenant", MaxValues: 100},
		{Name: "endpoint", Attributes: []string{"burnrate.endpoint", "http.route"}, FoldTo: "burnrate.endpoint", MaxValues: 200},
		{Name: "team", Attributes: []string{"burnrate.team"}, ResourceAttributes: []string{"burnrate.team"}, FoldTo: "burnrate.team", MaxValues: 50},
	}
	return cfg
}

type harness struct {
	sink   *consumertest.TracesSink
	proc   processor.Traces
	reader *sdkmetric.ManualReader
}

func newHarness(t *testing.T, cfg *Config) *harness {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config: %v", err)
	}
	reader := sdkmetric.NewManualReader()
	set := processortest.NewNopSettings(Type)
	set.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	sink := &consumertest.TracesSink{}
	p, err := NewFactory().CreateTraces(context.Background(), set, cfg, sink)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Capabilities().MutatesData {
		t.Fatal("must declare MutatesData, so other pipelines keep their spans unchanged")
	}
	return &harness{sink: sink, proc: p, reader: reader}
}

// traces makes one resource (service, resource attrs) with one span per attribute map.
func traces(service string, resource map[string]any, spans ...map[string]any) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	if err := rs.Resource().Attributes().FromRaw(mergeService(service, resource)); err != nil {
		panic(err)
	}
	ss := rs.ScopeSpans().AppendEmpty()
	for _, a := range spans {
		s := ss.Spans().AppendEmpty()
		if err := s.Attributes().FromRaw(a); err != nil {
			panic(err)
		}
	}
	return td
}

func mergeService(service string, resource map[string]any) map[string]any {
	out := map[string]any{"service.name": service}
	for k, v := range resource {
		out[k] = v
	}
	return out
}

func priced(extra map[string]any) map[string]any {
	out := map[string]any{"burnrate.cost.source": "usage", "burnrate.cost.usd": 0.01, "gen_ai.operation.name": "chat"}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func (h *harness) send(t *testing.T, td ptrace.Traces) {
	t.Helper()
	if err := h.proc.ConsumeTraces(context.Background(), td); err != nil {
		t.Fatal(err)
	}
}

// attr of span i of the last batch (resource 0, scope 0).
func (h *harness) attr(t *testing.T, i int, key string) (string, bool) {
	t.Helper()
	all := h.sink.AllTraces()
	v, ok := all[len(all)-1].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(i).Attributes().Get(key)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

func (h *harness) foldedCount(t *testing.T) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "otelcol_labelcap_folded" {
				continue
			}
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				label, _ := dp.Attributes.Value("label")
				out[label.AsString()] += dp.Value
			}
		}
	}
	return out
}

func TestFirstComeFirstKeptPerService(t *testing.T) {
	h := newHarness(t, burnrateConfig())
	var spans []map[string]any
	for i := 0; i < 60; i++ {
		spans = append(spans, priced(map[string]any{"gen_ai.agent.name": fmt.Sprintf("agent-%02d", i)}))
	}
	h.send(t, traces("svc-a", nil, spans...))
	for i := 0; i < 60; i++ {
		v, ok := h.attr(t, i, "burnrate.agent")
		if i < 50 && ok {
			t.Fatalf("span %d: kept value folded (%q)", i, v)
		}
		if i >= 50 && v != "other" {
			t.Fatalf("span %d: want burnrate.agent=other, got %q (%v)", i, v, ok)
		}
		if name, _ := h.attr(t, i, "gen_ai.agent.name"); name != fmt.Sprintf("agent-%02d", i) {
			t.Fatalf("span %d: gen_ai.agent.name changed to %q", i, name)
		}
	}
	// A kept value stays kept; a folded one stays folded; another service has its own room.
	h.send(t, traces("svc-a", nil, priced(map[string]any{"gen_ai.agent.name": "agent-07"}), priced(map[string]any{"gen_ai.agent.name": "agent-55"})))
	if _, ok := h.attr(t, 0, "burnrate.agent"); ok {
		t.Fatal("kept agent-07 folded on its second batch")
	}
	if v, _ := h.attr(t, 1, "burnrate.agent"); v != "other" {
		t.Fatal("agent-55 not folded on its second batch")
	}
	h.send(t, traces("svc-b", nil, priced(map[string]any{"gen_ai.agent.name": "agent-55"})))
	if _, ok := h.attr(t, 0, "burnrate.agent"); ok {
		t.Fatal("svc-b's first agent folded: services must not share a cap")
	}
	if got := h.foldedCount(t); got["agent"] != 11 || len(got) != 1 {
		t.Fatalf("folded counter: %v", got)
	}
}

func TestPrecedenceFallbacksAndOther(t *testing.T) {
	cfg := burnrateConfig()
	for i := range cfg.Labels {
		cfg.Labels[i].MaxValues = 1
	}
	h := newHarness(t, cfg)
	h.send(t, traces("svc", map[string]any{"burnrate.team": "payments"},
		priced(map[string]any{"gen_ai.tool.name": "search", "http.route": "/a", "burnrate.tenant": "t1", "burnrate.agent": "planner", "gen_ai.agent.name": "ignored"}),
		priced(map[string]any{"gen_ai.tool.name": "fetch", "http.route": "/b", "burnrate.tenant": "t2", "gen_ai.agent.name": "planner"}),
		priced(map[string]any{"burnrate.tool": "other", "gen_ai.tool.name": "x", "burnrate.endpoint": "/a", "http.route": "/c", "burnrate.team": "payments", "burnrate.agent": "", "gen_ai.agent.name": "writer"}),
	))
	// The span attributes afterwards ("" = absent): only folded values change.
	want := []map[string]string{
		{"burnrate.tenant": "t1", "burnrate.agent": "planner"}, // every first value is kept
		{"burnrate.tool": "other", "burnrate.endpoint": "other", "burnrate.tenant": "other"},
		// burnrate.tool=other passes; burnrate.endpoint wins over http.route; "" falls back to gen_ai.agent.name
		{"burnrate.tool": "other", "burnrate.endpoint": "/a", "burnrate.team": "payments", "burnrate.agent": "other"},
	}
	for i, w := range want {
		for _, k := range []string{"burnrate.agent", "burnrate.tool", "burnrate.tenant", "burnrate.endpoint", "burnrate.team"} {
			if got, _ := h.attr(t, i, k); got != w[k] {
				t.Errorf("span %d %s: got %q, want %q", i, k, got, w[k])
			}
		}
	}
	// The resource's team counts too: a second team (resource) beyond the cap folds on the span.
	h.send(t, traces("svc", map[string]any{"burnrate.team": "search"}, priced(nil)))
	if v, _ := h.attr(t, 0, "burnrate.team"); v != "other" {
		t.Fatalf("resource team beyond the cap: burnrate.team=%q", v)
	}
}

func TestOnlySpansThatBecomeMetrics(t *testing.T) {
	cfg := burnrateConfig()
	cfg.Labels[0].MaxValues = 0
	h := newHarness(t, cfg)
	h.send(t, traces("svc", nil,
		map[string]any{"gen_ai.agent.name": "a", "gen_ai.operation.name": "chat"},    // unpriced: untouched
		map[string]any{"gen_ai.agent.name": "a", "burnrate.metered": true},           // metered
		map[string]any{"gen_ai.agent.name": "a", "burnrate.run.cost_usd": 0.5},       // run span
		map[string]any{"gen_ai.agent.name": "a", "burnrate.breaker.kind": "loop"},    // breaker
		map[string]any{"gen_ai.agent.name": "a", "burnrate.cost.source": "unpriced"}, // priced (or tried)
	))
	for i := 0; i < 5; i++ {
		_, ok := h.attr(t, i, "burnrate.agent")
		if ok != (i > 0) {
			t.Errorf("span %d: folded=%v", i, ok)
		}
	}
}

func TestMaxServicesAndLongValues(t *testing.T) {
	cfg := burnrateConfig()
	cfg.MaxServices = 2
	h := newHarness(t, cfg)
	long := fmt.Sprintf("%065d", 1)
	h.send(t, traces("s1", nil, priced(map[string]any{"gen_ai.agent.name": long, "gen_ai.tool.name": "t"})))
	if v, _ := h.attr(t, 0, "burnrate.agent"); v != "other" {
		t.Fatal("a value over max_value_length must fold")
	}
	if _, ok := h.attr(t, 0, "burnrate.tool"); ok {
		t.Fatal("tool t folded")
	}
	h.send(t, traces("s2", nil, priced(map[string]any{"gen_ai.tool.name": "t"})))
	h.send(t, traces("s3", nil, priced(map[string]any{"gen_ai.tool.name": "t"})))
	if v, _ := h.attr(t, 0, "burnrate.tool"); v != "other" {
		t.Fatal("a service beyond max_services must fold its values")
	}
	h.send(t, traces("s1", nil, priced(map[string]any{"gen_ai.tool.name": "t"})))
	if _, ok := h.attr(t, 0, "burnrate.tool"); ok {
		t.Fatal("a tracked service lost its values")
	}
}

func TestConcurrentBatchesKeepExactlyTheCap(t *testing.T) {
	h := newHarness(t, burnrateConfig())
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for b := 0; b < 20; b++ {
				var spans []map[string]any
				for i := 0; i < 10; i++ {
					spans = append(spans, priced(map[string]any{"burnrate.tenant": fmt.Sprintf("t-%d-%d-%d", g, b, i)}))
				}
				_ = h.proc.ConsumeTraces(context.Background(), traces("svc", nil, spans...))
			}
		}(g)
	}
	wg.Wait()
	kept, folded := 0, 0
	for _, td := range h.sink.AllTraces() {
		spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		for i := 0; i < spans.Len(); i++ {
			if _, ok := spans.At(i).Attributes().Get("burnrate.tenant"); ok {
				if v, _ := spans.At(i).Attributes().Get("burnrate.tenant"); v.Str() == "other" {
					folded++
				} else {
					kept++
				}
			}
		}
	}
	if kept != 100 || folded != 1500 {
		t.Fatalf("kept %d (want 100), folded %d (want 1500)", kept, folded)
	}
	if got := h.foldedCount(t)["tenant"]; got != 1500 {
		t.Fatalf("folded counter %d", got)
	}
}

func TestFailsOpen(t *testing.T) {
	c, err := newCapper(burnrateConfig(), processortest.NewNopSettings(Type).TelemetrySettings)
	if err != nil {
		t.Fatal(err)
	}
	c.caps.services = nil // tracking a new service now panics (assignment to a nil map)
	td := traces("svc", nil, priced(map[string]any{"gen_ai.agent.name": "a"}))
	out, err := c.processTraces(context.Background(), td)
	if err != nil || out.SpanCount() != 1 {
		t.Fatalf("want the spans passed on, got %d spans, err %v", out.SpanCount(), err)
	}
}

func TestConfigValidation(t *testing.T) {
	if err := createDefaultConfig().(*Config).Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	bad := burnrateConfig()
	bad.MaxServices = 0
	bad.Labels[0].MaxValues = -1
	bad.Labels[1].FoldTo = ""
	bad.Labels[2].Name = "agent"
	if err := bad.Validate(); err == nil {
		t.Fatal("want errors")
	} else {
		for _, s := range []string{"max_services", "max_values", "fold_to", "used twice"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %s", err, s)
			}
		}
	}
	var _ component.Config = bad
}
