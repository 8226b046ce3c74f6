package burnratemetricsconnector

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/connector/connectortest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// envDefault matches ${env:NAME:-default}: the tests run collector/otelcol.yaml's connector with
// every variable at its default, or at a value the test sets in env.
var envDefault = regexp.MustCompile(`\$\{env:([A-Z_]+):-([^}]*)\}`)

// shippedConfig is collector/otelcol.yaml's burnrate_metrics, with env overriding variables.
func shippedConfig(t testing.TB, env map[string]string) *Config {
	t.Helper()
	raw, err := os.ReadFile("../otelcol.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := envDefault.ReplaceAllStringFunc(string(raw), func(m string) string {
		sub := envDefault.FindStringSubmatch(m)
		if v, ok := env[sub[1]]; ok {
			return v
		}
		return sub[2]
	})
	ret, err := confmap.NewRetrievedFromYAML([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	conf, err := ret.AsConf()
	if err != nil {
		t.Fatal(err)
	}
	sub, err := conf.Sub("connectors::burnrate_metrics")
	if err != nil {
		t.Fatal(err)
	}
	cfg := createDefaultConfig().(*Config)
	if err := sub.Unmarshal(cfg); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("collector/otelcol.yaml's burnrate_metrics: %v", err)
	}
	return cfg
}

type harness struct {
	c      *metricsConnector
	sink   *consumertest.MetricsSink
	reader *sdkmetric.ManualReader
}

func newHarness(t testing.TB, cfg *Config) *harness {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	set := connectortest.NewNopSettings(Type)
	set.MeterProvider = sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	sink := &consumertest.MetricsSink{}
	conn, err := NewFactory().CreateTracesToMetrics(context.Background(), set, cfg, sink)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{c: conn.(*metricsConnector), sink: sink, reader: reader}
}

// span is one span: its resource, attributes and whether its status is Error.
type span struct {
	resource map[string]any
	attrs    map[string]any
	err      bool
}

// traces puts each span in its own resource (spans with the same resource map share one).
func traces(spans ...span) ptrace.Traces {
	td := ptrace.NewTraces()
	for _, s := range spans {
		rs := td.ResourceSpans().AppendEmpty()
		if err := rs.Resource().Attributes().FromRaw(s.resource); err != nil {
			panic(err)
		}
		sp := rs.ScopeSpans().AppendEmpty().Spans().AppendEmpty()
		if err := sp.Attributes().FromRaw(s.attrs); err != nil {
			panic(err)
		}
		if s.err {
			sp.Status().SetCode(ptrace.StatusCodeError)
		}
	}
	return td
}

func (h *harness) consume(t testing.TB, spans ...span) {
	t.Helper()
	if err := h.c.ConsumeTraces(context.Background(), traces(spans...)); err != nil {
		t.Fatal(err)
	}
}

// series flushes and returns the latest value of every series the sink got, by
// "metric{label=value,...}" (labels sorted); a histogram as "count sum [buckets]".
func (h *harness) series(t testing.TB) map[string]string {
	t.Helper()
	h.c.flush(context.Background())
	out := map[string]string{}
	for _, md := range h.sink.AllMetrics() {
		rms := md.ResourceMetrics()
		for i := 0; i < rms.Len(); i++ {
			if rms.At(i).Resource().Attributes().Len() != 0 {
				t.Fatalf("resource attributes on the output: %v", rms.At(i).Resource().Attributes().AsRaw())
			}
			sms := rms.At(i).ScopeMetrics()
			for j := 0; j < sms.Len(); j++ {
				ms := sms.At(j).Metrics()
				for k := 0; k < ms.Len(); k++ {
					collectSeries(t, ms.At(k), out)
				}
			}
		}
	}
	return out
}

func collectSeries(t testing.TB, m pmetric.Metric, out map[string]string) {
	key := func(attrs map[string]any) string {
		parts := make([]string, 0, len(attrs))
		for k, v := range attrs {
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
		sort.Strings(parts)
		return m.Name() + "{" + strings.Join(parts, ",") + "}"
	}
	switch m.Type() {
	case pmetric.MetricTypeSum:
		s := m.Sum()
		if !s.IsMonotonic() || s.AggregationTemporality() != pmetric.AggregationTemporalityCumulative {
			t.Fatalf("%s: not a cumulative monotonic sum", m.Name())
		}
		for i := 0; i < s.DataPoints().Len(); i++ {
			dp := s.DataPoints().At(i)
			if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
				out[key(dp.Attributes().AsRaw())] = fmt.Sprint(dp.IntValue())
			} else {
				out[key(dp.Attributes().AsRaw())] = fmt.Sprint(dp.DoubleValue())
			}
		}
	case pmetric.MetricTypeHistogram:
		hg := m.Histogram()
		if hg.AggregationTemporality() != pmetric.AggregationTemporalityCumulative {
			t.Fatalf("%s: not cumulative", m.Name())
		}
		for i := 0; i < hg.DataPoints().Len(); i++ {
			dp := hg.DataPoints().At(i)
			out[key(dp.Attributes().AsRaw())] = fmt.Sprint(dp.Count(), " ", dp.Sum(), " ", dp.BucketCounts().AsRaw())
		}
	default:
		t.Fatalf("%s: unexpected type %s", m.Name(), m.Type())
	}
}

// telemetry returns the Collector's own metrics the connector made: name{attr=value} → value.
func (h *harness) telemetry(t testing.TB) map[string]int64 {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			var points []metricdata.DataPoint[int64]
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				points = d.DataPoints
			case metricdata.Gauge[int64]:
				points = d.DataPoints
			}
			for _, p := range points {
				name := m.Name
				for _, kv := range p.Attributes.ToSlice() {
					name += "{" + string(kv.Key) + "=" + kv.Value.Emit() + "}"
				}
				out[name] = p.Value
			}
		}
	}
	return out
}

// Resources and attribute sets the tests share.
var (
	app = map[string]any{"service.name": "checkout", "deployment.environment.name": "prod", "burnrate.team": "payments"}
)

// llm is a priced chat call with the given extra attributes.
func llm(extra map[string]any) map[string]any {
	a := map[string]any{
		"gen_ai.operation.name":      "chat",
		"gen_ai.provider.name":       "openai",
		"gen_ai.request.model":       "gpt-4o",
		"gen_ai.usage.input_tokens":  int64(1000),
		"gen_ai.usage.output_tokens": int64(100),
		"burnrate.cost.usd":          0.0125,
		"burnrate.cost.source":       "usage",
	}
	for k, v := range extra {
		if v == nil {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	return a
}
