// Package labelcapprocessor bounds the distinct values of attribution labels per service: per
// resource service.name, each configured label keeps its first N distinct values; a later new
// value is folded (its span gets the fold_to attribute set to "other"), so its spend is still
// counted, under "other". It mutates only the copy of the spans its pipeline gets.
package labelcapprocessor

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
)

// Type is the component type used in Collector configurations.
var Type = component.MustNewType("labelcap")

// NewFactory returns the labelcap processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(Type, createDefaultConfig,
		processor.WithTraces(createTraces, component.StabilityLevelAlpha))
}

func createDefaultConfig() component.Config {
	return &Config{MaxServices: 1000, MaxValueLength: 64, FoldedValue: "other"}
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	c, err := newCapper(cfg.(*Config), set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, c.processTraces,
		processorhelper.WithCapabilities(consumer.Capabilities{MutatesData: true}))
}
