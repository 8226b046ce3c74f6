package labelcapprocessor

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

const scopeName = "github.com/burnrate/burnrate/collector/labelcapprocessor"

// Capper holds, per service, the values each label kept: the cap itself, without reading or
// writing spans. The labelcap processor and Burnrate's metrics connector
// (collector/burnratemetricsconnector) both use it. It is not safe for concurrent use: callers
// hold their own lock around Service and Fold.
type Capper struct {
	cfg      *Config
	logger   *zap.Logger
	folded   metric.Int64Counter
	labelSet []metric.AddOption // per label: its `label` attribute, built once

	services map[string]*ServiceCaps
	untraced *ServiceCaps // what services beyond max_services get: every value folded
	warned   []bool       // per label: the cap was logged
	warnedSv bool         // max_services was logged
}

// ServiceCaps is one service's kept values, per label (nil beyond max_services: every value of
// such a service is folded).
type ServiceCaps struct {
	name string
	kept []map[string]struct{}
}

// NewCapper makes the cap state for cfg (validated) and its folded-values counter,
// otelcol_labelcap_folded{label}.
func NewCapper(cfg *Config, set component.TelemetrySettings) (*Capper, error) {
	folded, err := set.MeterProvider.Meter(scopeName).Int64Counter(
		"otelcol_labelcap_folded",
		metric.WithDescription("Spans whose attribution label value was folded into the folded value (other) by the label cap, by label"),
		metric.WithUnit("{span}"))
	if err != nil {
		return nil, err
	}
	c := &Capper{
		cfg:      cfg,
		logger:   set.Logger,
		folded:   folded,
		services: map[string]*ServiceCaps{},
		warned:   make([]bool, len(cfg.Labels)),
	}
	for _, l := range cfg.Labels {
		c.labelSet = append(c.labelSet, metric.WithAttributeSet(attribute.NewSet(attribute.String("label", l.Name))))
	}
	return c, nil
}

// Service returns the caps of a service (resource service.name as a string, "" when absent),
// tracking it from now on; beyond max_services, a state that folds every value.
func (c *Capper) Service(service string) *ServiceCaps {
	if s, ok := c.services[service]; ok {
		return s
	}
	if len(c.services) >= c.cfg.MaxServices {
		if !c.warnedSv {
			c.warnedSv = true
			c.logger.Warn("labelcap: max_services reached; every label value of further services is folded (logged once)",
				zap.Int("max_services", c.cfg.MaxServices), zap.String("service", service),
				zap.String("folded_value", c.cfg.FoldedValue))
		}
		if c.untraced == nil {
			c.untraced = &ServiceCaps{}
		}
		return c.untraced
	}
	s := &ServiceCaps{name: service, kept: make([]map[string]struct{}, len(c.cfg.Labels))}
	for li := range s.kept {
		s.kept[li] = map[string]struct{}{}
	}
	c.services[service] = s
	return s
}

// Fold reports whether value (the label's value as its precedence found it; "" when none) of
// label li must be written as the folded value: a value that is not one of the service's kept
// values when there is no room for it, or longer than max_value_length. Empty and folded values
// are never folded (nor kept). A new value with room is kept.
func (c *Capper) Fold(s *ServiceCaps, li int, value string) bool {
	if value == "" || value == c.cfg.FoldedValue {
		return false
	}
	if s.kept == nil || (c.cfg.MaxValueLength > 0 && len(value) > c.cfg.MaxValueLength) {
		return true
	}
	values := s.kept[li]
	if _, ok := values[value]; ok {
		return false
	}
	l := &c.cfg.Labels[li]
	if len(values) < l.MaxValues {
		values[value] = struct{}{}
		return false
	}
	if !c.warned[li] {
		c.warned[li] = true
		c.logger.Warn(fmt.Sprintf("labelcap: label %q reached its cap of %d distinct values for service %q; new values are counted as %q (logged once per label)",
			l.Name, l.MaxValues, s.name, c.cfg.FoldedValue))
	}
	return true
}

// FoldedValue is what a folded value becomes ("other").
func (c *Capper) FoldedValue() string { return c.cfg.FoldedValue }

// Record adds counts[li] folded spans of each label li to otelcol_labelcap_folded.
func (c *Capper) Record(ctx context.Context, counts []int64) {
	for i, n := range counts {
		if n > 0 {
			c.folded.Add(ctx, n, c.labelSet[i])
		}
	}
}
