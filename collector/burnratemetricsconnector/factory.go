// Package burnratemetricsconnector turns the spans Burnrate priced into the burnrate_* cost
// metrics: it validates each span, sets the attribution labels (with the label caps per
// service), and keeps every series as a cumulative sum or histogram, in native code instead of
// OTTL statements, signal_to_metrics and deltatocumulative. Configuration and behaviour:
// collector/README.md.
package burnratemetricsconnector

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/consumer"
)

// Type is the component type used in Collector configurations.
var Type = component.MustNewType("burnrate_metrics")

// NewFactory returns the burnrate_metrics connector factory (traces in, metrics out).
func NewFactory() connector.Factory {
	return connector.NewFactory(Type, createDefaultConfig,
		connector.WithTracesToMetrics(createTracesToMetrics, component.StabilityLevelAlpha))
}

func createDefaultConfig() component.Config {
	return &Config{
		MaxSpanCostUSD: 1_000_000,
		MaxStreams:     10_000,
		MaxStale:       25 * time.Hour,
		FlushInterval:  200 * time.Millisecond,
		LabelCaps: LabelCapsConfig{
			MaxServices: 1000, MaxValueLength: 64,
			Agent: 50, Tool: 50, Tenant: 100, Endpoint: 200, Team: 50,
		},
	}
}

func createTracesToMetrics(_ context.Context, set connector.Settings, cfg component.Config, next consumer.Metrics) (connector.Traces, error) {
	c, err := newConnector(cfg.(*Config), set.TelemetrySettings, next)
	if err != nil {
		return nil, err
	}
	c.id = set.ID
	return c, nil
}
