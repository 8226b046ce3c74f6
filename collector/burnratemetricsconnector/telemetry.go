package burnratemetricsconnector

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// The connector's own telemetry. It replaces the deltatocumulative processor on the span path
// and keeps its metric names, units and meaning, so the shipped alerts
// (BurnrateCollectorSeriesLimit, deploy/prometheus) and dashboards work unchanged:
//
//	otelcol_deltatocumulative_datapoints{error="limit"}  values of new series dropped at max_streams
//	otelcol_deltatocumulative_datapoints                 values added to a series
//	otelcol_deltatocumulative_streams_tracked            series kept
//	otelcol_deltatocumulative_streams_limit              max_streams
//	otelcol_deltatocumulative_streams_max_stale          max_stale, in seconds
type telemetry struct {
	datapoints metric.Int64Counter
	limit      metric.AddOption
}

func newTelemetry(set component.TelemetrySettings, cfg *Config, tracked func() int) (*telemetry, error) {
	meter := set.MeterProvider.Meter(scopeName)
	t := &telemetry{limit: metric.WithAttributeSet(attribute.NewSet(attribute.String("error", "limit")))}
	var err error
	if t.datapoints, err = meter.Int64Counter("otelcol_deltatocumulative_datapoints",
		metric.WithDescription("Values counted into a series; error=limit: values of a new series dropped because max_streams series are kept"),
		metric.WithUnit("{datapoint}")); err != nil {
		return nil, err
	}
	limit, err := meter.Int64Gauge("otelcol_deltatocumulative_streams_limit",
		metric.WithDescription("Most series kept (max_streams)"), metric.WithUnit("{stream}"))
	if err != nil {
		return nil, err
	}
	maxStale, err := meter.Int64Gauge("otelcol_deltatocumulative_streams_max_stale",
		metric.WithDescription("Seconds after which an idle series is forgotten (max_stale)"), metric.WithUnit("s"))
	if err != nil {
		return nil, err
	}
	if _, err = meter.Int64ObservableUpDownCounter("otelcol_deltatocumulative_streams_tracked",
		metric.WithDescription("Series kept"), metric.WithUnit("{dps}"),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(int64(tracked()))
			return nil
		})); err != nil {
		return nil, err
	}
	limit.Record(context.Background(), int64(cfg.MaxStreams))
	maxStale.Record(context.Background(), int64(cfg.MaxStale.Seconds()))
	return t, nil
}

func (t *telemetry) record(ctx context.Context, points, dropped int64) {
	if points > 0 {
		t.datapoints.Add(ctx, points)
	}
	if dropped > 0 {
		t.datapoints.Add(ctx, dropped, t.limit)
	}
}
