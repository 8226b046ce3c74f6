package burnratemetricsconnector

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pmetric"
)

// Series keep counting across flushes with one start time and rising timestamps; only updated
// series are sent.
func TestCumulativeAcrossFlushes(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	h.c.flush(context.Background())
	time.Sleep(2 * time.Millisecond)
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	h.c.flush(context.Background())
	h.c.flush(context.Background()) // nothing updated: nothing sent
	all := h.sink.AllMetrics()
	// The new series at once, then each flush with what changed.
	if len(all) != 3 {
		t.Fatalf("want 3 sends with data, got %d", len(all))
	}
	cost := func(md pmetric.Metrics) (float64, int64, int64) {
		ms := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics()
		for i := 0; i < ms.Len(); i++ {
			if ms.At(i).Name() == "burnrate.llm.cost.usd" {
				dp := ms.At(i).Sum().DataPoints().At(0)
				return dp.DoubleValue(), int64(dp.StartTimestamp()), int64(dp.Timestamp())
			}
		}
		t.Fatal("no cost metric")
		return 0, 0, 0
	}
	v0, start0, ts0 := cost(all[0])
	v1, start1, ts1 := cost(all[1])
	v2, start2, ts2 := cost(all[2])
	if v0 != 0.0125 || v1 != 0.0125 || v2 != 0.025 {
		t.Errorf("values %v, %v then %v, want 0.0125, 0.0125 then 0.025", v0, v1, v2)
	}
	if start0 != start1 || !(ts1 >= ts0) {
		t.Errorf("the new series' first send: start %d, timestamp %d; then %d, %d", start0, ts0, start1, ts1)
	}
	if start1 == 0 || start1 != start2 || !(ts2 > ts1) || start1 > ts1 {
		t.Errorf("start %d/%d, timestamps %d/%d: want one start time before rising timestamps", start1, start2, ts1, ts2)
	}
}

// send_all_series (for push exporters): every flush sends every series kept, with its total so
// far, also when nothing was counted since the last flush.
func TestSendAllSeries(t *testing.T) {
	cfg := shippedConfig(t, nil)
	cfg.SendAllSeries = true
	h := newHarness(t, cfg)
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "b"})})
	sent := h.sink.DataPointCount() // the new series, at once
	h.c.flush(context.Background())
	time.Sleep(2 * time.Millisecond)
	h.c.flush(context.Background()) // nothing counted since: all again
	all := h.sink.AllMetrics()
	if len(all) < 2 {
		t.Fatalf("want the two flushes, got %d sends", len(all))
	}
	last, before := all[len(all)-1], all[len(all)-2]
	if last.DataPointCount() != sent || before.DataPointCount() != sent {
		t.Fatalf("flushes sent %d and %d data points, want every series (%d) each time", before.DataPointCount(), last.DataPointCount(), sent)
	}
	costs := func(md pmetric.Metrics) (sum float64, ts int64) {
		ms := md.ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics()
		for i := 0; i < ms.Len(); i++ {
			if ms.At(i).Name() != "burnrate.llm.cost.usd" {
				continue
			}
			dps := ms.At(i).Sum().DataPoints()
			for j := 0; j < dps.Len(); j++ {
				sum += dps.At(j).DoubleValue()
				ts = int64(dps.At(j).Timestamp())
			}
		}
		return sum, ts
	}
	v1, ts1 := costs(before)
	v2, ts2 := costs(last)
	if v1 != 0.025 || v2 != 0.025 || !(ts2 > ts1) {
		t.Errorf("totals %v then %v at %d then %d: want 0.025 twice, at rising timestamps", v1, v2, ts1, ts2)
	}
}

// A batch that starts a series has sent it on when ConsumeTraces returns (a series the Collector
// reports as tracked is in the exporter); updates of known series wait for the next flush.
func TestNewSeriesGoOnAtOnce(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	h.consume(t, span{resource: app, attrs: llm(nil)})
	if n := h.sink.DataPointCount(); n != 4 {
		t.Fatalf("%d data points sent by the batch that started 4 series", n)
	}
	h.consume(t, span{resource: app, attrs: llm(nil)})
	if n := h.sink.DataPointCount(); n != 4 {
		t.Fatalf("%d data points: an update waits for the flush", n)
	}
	h.c.flush(context.Background())
	if n := h.sink.DataPointCount(); n != 8 {
		t.Fatalf("%d data points after the flush, want 8", n)
	}
}

// max_streams: series kept keep counting; values of new series beyond it are dropped and counted
// in the deltatocumulative telemetry the alerts use.
func TestMaxStreams(t *testing.T) {
	h := newHarness(t, shippedConfig(t, map[string]string{"BURNRATE_MAX_SERIES": "40", "BURNRATE_MAX_SPAN_COST_USD": "10.5"}))
	h.consume(t,
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": 10.5, "burnrate.tenant": "edge"})},
		span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": 10.51, "burnrate.tenant": "edge"})},
	)
	var flood []span
	for i := 0; i < 20; i++ {
		flood = append(flood, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": fmt.Sprintf("t%d", i)})})
	}
	h.consume(t, flood...)
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": 1.0, "burnrate.tenant": "edge"})})
	got := h.series(t)
	if len(got) != 40 {
		t.Errorf("%d series, want 40", len(got))
	}
	if v := got[s("burnrate.llm.cost.usd", callLabels("tenant=edge")...)]; v != "11.5" {
		t.Errorf("a kept series keeps counting: %q", v)
	}
	tel := h.telemetry(t)
	// 85 new series offered (5, then 20 tenants x 4), 40 kept; the kept one's 4 values count too.
	for name, want := range map[string]int64{
		"otelcol_deltatocumulative_streams_limit":           40,
		"otelcol_deltatocumulative_streams_tracked":         40,
		"otelcol_deltatocumulative_streams_max_stale":       25 * 3600,
		"otelcol_deltatocumulative_datapoints{error=limit}": 85 - 40,
		"otelcol_deltatocumulative_datapoints":              40 + 4,
	} {
		if tel[name] != want {
			t.Errorf("%s = %d, want %d", name, tel[name], want)
		}
	}
}

// A series idle for longer than max_stale is forgotten: its next span starts it again from zero,
// with a new start time (a counter reset for Prometheus).
func TestIdleSeriesExpire(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	h.consume(t, span{resource: app, attrs: llm(nil)})
	h.c.flush(context.Background())
	h.c.mu.Lock()
	kept := h.c.st.expire(time.Now().Add(-time.Hour).UnixNano()) // nothing idle for an hour
	gone := h.c.st.expire(time.Now().Add(time.Second).UnixNano())
	h.c.mu.Unlock()
	if kept != 0 || gone != 4 {
		t.Fatalf("expired %d then %d series, want 0 then 4", kept, gone)
	}
	if n := h.telemetry(t)["otelcol_deltatocumulative_streams_tracked"]; n != 0 {
		t.Errorf("%d series tracked after expiry", n)
	}
	h.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": 0.5})})
	if v := h.series(t)[s("burnrate.llm.cost.usd", callLabels()...)]; v != "0.5" {
		t.Errorf("restarted series = %q, want 0.5", v)
	}
}

// The flush loop sends on its own and forgets idle series on its own (max_stale shorter than a
// minute: checked every max_stale).
func TestFlushLoop(t *testing.T) {
	cfg := shippedConfig(t, map[string]string{"BURNRATE_BATCH_TIMEOUT": "10ms", "BURNRATE_SERIES_EXPIRATION": "100ms"})
	h := newHarness(t, cfg)
	if err := h.c.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	h.consume(t, span{resource: app, attrs: llm(nil)})
	deadline := time.Now().Add(5 * time.Second)
	for h.sink.DataPointCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if h.sink.DataPointCount() != 4 {
		t.Fatalf("%d data points flushed, want 4", h.sink.DataPointCount())
	}
	for h.c.streamCount() != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := h.c.streamCount(); n != 0 {
		t.Errorf("%d series still kept after max_stale", n)
	}
	if err := h.c.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Concurrent batches (the receiver calls from many connections) count exactly; the connector
// never changes a span (the batches are read-only: pdata panics on any write).
func TestConcurrentReadOnly(t *testing.T) {
	h := newHarness(t, shippedConfig(t, map[string]string{"BURNRATE_MAX_AGENTS": "3"}))
	if h.c.Capabilities().MutatesData {
		t.Fatal("must not declare MutatesData: forwarded spans share the batch")
	}
	if err := h.c.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				td := traces(
					span{resource: app, attrs: llm(map[string]any{"gen_ai.agent.name": fmt.Sprintf("a%d", (g+i)%5), "burnrate.cost.usd": 0.001})},
					span{resource: app, attrs: llm(map[string]any{"burnrate.cost.usd": math.NaN()})},
				)
				td.MarkReadOnly()
				if err := h.c.ConsumeTraces(context.Background(), td); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if err := h.c.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	total, requests := 0.0, 0
	for k, v := range h.series(t) {
		var f float64
		fmt.Sscan(v, &f)
		switch {
		case len(k) > 21 && k[:21] == "burnrate.llm.cost.usd":
			total += f
		case len(k) > 21 && k[:21] == "burnrate.llm.requests":
			requests += int(f)
		case k == s("burnrate.invalid.spans", "service=checkout", "reason=cost_not_finite") && v != "1600":
			t.Errorf("invalid spans %s", v)
		}
	}
	if math.Abs(total-1.6) > 1e-9 || requests != 1600 {
		t.Errorf("total %v (want 1.6), requests %d (want 1600)", total, requests)
	}
}

func TestConfigValidation(t *testing.T) {
	cfg := shippedConfig(t, nil)
	cfg.MaxStreams = 0
	cfg.MaxStale = cfg.FlushInterval
	cfg.LabelCaps.Agent = -1
	cfg.Metrics[0].Measure = "nosuch"
	cfg.Metrics[1].Attributes = append(cfg.Metrics[1].Attributes, AttributeConfig{Key: "reason"})
	cfg.Metrics[2].Name = cfg.Metrics[0].Name
	cfg.Metrics[5].Sum, cfg.Metrics[5].Histogram = &SumConfig{Monotonic: true}, nil
	err := cfg.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"max_streams", "max_stale", "agent must not be negative", `measure "nosuch"`,
		`attribute "reason" is not a label of measure llm.tokens`, "used twice", "makes a histogram"} {
		if !contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

// BenchmarkConsume: one 1,000-span batch shaped like bench/collector-load.ts's.
func BenchmarkConsume(b *testing.B) {
	h := newHarness(b, shippedConfig(b, nil))
	var spans []span
	for i := 0; i < 1000; i++ {
		spans = append(spans, span{resource: app, attrs: llm(map[string]any{
			"burnrate.tenant": fmt.Sprintf("tenant-%d", i%41), "burnrate.endpoint": fmt.Sprintf("POST /v1/route-%d", i%23),
			"gen_ai.agent.name": "planner", "burnrate.run.step": int64(i%4 + 1), "gen_ai.response.id": "chatcmpl-x9Qb7hZk2",
			"server.address": "api.openai.com", "server.port": int64(443), "burnrate.pricing.model": "gpt-4o",
		})})
	}
	td := traces(spans...)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = h.c.ConsumeTraces(context.Background(), td)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/span")
}

// Counting fails open: a panic is recovered, the lock released, and the next batch counts.
func TestFailsOpen(t *testing.T) {
	h := newHarness(t, shippedConfig(t, nil))
	streams := h.c.st.streams
	h.c.st.streams = nil // starting a series now panics (assignment to a nil map)
	h.consume(t, span{resource: app, attrs: llm(nil)})
	h.c.st.streams = streams
	h.consume(t, span{resource: app, attrs: llm(nil)})
	if v := h.series(t)[s("burnrate.llm.cost.usd", callLabels()...)]; v != "0.0125" {
		t.Errorf("after a recovered panic: %q", v)
	}
}
