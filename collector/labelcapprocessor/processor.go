package labelcapprocessor

import (
	"context"
	"fmt"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.uber.org/zap"
)

const scopeName = "github.com/burnrate/burnrate/collector/labelcapprocessor"

// capper holds, per service, the values each label kept. One mutex: a batch takes it once
// per resource, and the work under it is a few map lookups per span.
type capper struct {
	cfg      *Config
	logger   *zap.Logger
	folded   metric.Int64Counter
	labelSet []metric.AddOption // per label: its `label` attribute, built once

	mu       sync.Mutex
	services map[string][]map[string]struct{} // service.name → per label, the values kept
	warned   []bool                           // per label: the cap was logged
	warnedSv bool                             // max_services was logged
	panicked bool                             // a recovered panic was logged
}

func newCapper(cfg *Config, set component.TelemetrySettings) (*capper, error) {
	folded, err := set.MeterProvider.Meter(scopeName).Int64Counter(
		"otelcol_labelcap_folded",
		metric.WithDescription("Spans whose attribution label value was folded into the folded value (other) by the label cap, by label"),
		metric.WithUnit("{span}"))
	if err != nil {
		return nil, err
	}
	c := &capper{
		cfg:      cfg,
		logger:   set.Logger,
		folded:   folded,
		services: map[string][]map[string]struct{}{},
		warned:   make([]bool, len(cfg.Labels)),
	}
	for _, l := range cfg.Labels {
		c.labelSet = append(c.labelSet, metric.WithAttributeSet(attribute.NewSet(attribute.String("label", l.Name))))
	}
	return c, nil
}

// processTraces fails open: whatever happens, the spans go on (at worst some values unfolded).
func (c *capper) processTraces(ctx context.Context, td ptrace.Traces) (out ptrace.Traces, err error) {
	out = td
	counts := make([]int64, len(c.cfg.Labels))
	defer func() {
		if r := recover(); r != nil {
			c.mu.Lock()
			first := !c.panicked
			c.panicked = true
			c.mu.Unlock()
			if first {
				c.logger.Error("labelcap: recovered from a panic; spans pass on, values may be unfolded (logged once)", zap.Any("panic", r))
			}
			out, err = td, nil
		}
		for i, n := range counts {
			if n > 0 {
				c.folded.Add(ctx, n, c.labelSet[i])
			}
		}
	}()
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		c.processResource(rss.At(i), counts)
	}
	return out, nil
}

func (c *capper) processResource(rs ptrace.ResourceSpans, counts []int64) {
	res := rs.Resource().Attributes()
	service := ""
	if v, ok := res.Get("service.name"); ok {
		service = v.AsString()
	}
	// Resource fallbacks, looked up once per resource.
	fallback := make([]string, len(c.cfg.Labels))
	for li, l := range c.cfg.Labels {
		fallback[li] = firstValue(res, l.ResourceAttributes)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kept, tracked := c.services[service]
	sss := rs.ScopeSpans()
	for si := 0; si < sss.Len(); si++ {
		spans := sss.At(si).Spans()
		for i := 0; i < spans.Len(); i++ {
			attrs := spans.At(i).Attributes()
			if !c.selected(attrs) {
				continue
			}
			if !tracked {
				kept, tracked = c.track(service)
			}
			for li := range c.cfg.Labels {
				if c.capValue(service, kept, li, attrs, fallback[li]) {
					counts[li]++
				}
			}
		}
	}
}

func (c *capper) selected(attrs pcommon.Map) bool {
	if len(c.cfg.OnlySpansWith) == 0 {
		return true
	}
	for _, k := range c.cfg.OnlySpansWith {
		if _, ok := attrs.Get(k); ok {
			return true
		}
	}
	return false
}

// track starts tracking a service; beyond max_services it returns (nil, true): every value of
// that service is folded. Called with c.mu held.
func (c *capper) track(service string) ([]map[string]struct{}, bool) {
	if len(c.services) >= c.cfg.MaxServices {
		if !c.warnedSv {
			c.warnedSv = true
			c.logger.Warn("labelcap: max_services reached; every label value of further services is folded (logged once)",
				zap.Int("max_services", c.cfg.MaxServices), zap.String("service", service),
				zap.String("folded_value", c.cfg.FoldedValue))
		}
		return nil, true
	}
	kept := make([]map[string]struct{}, len(c.cfg.Labels))
	for li := range kept {
		kept[li] = map[string]struct{}{}
	}
	c.services[service] = kept
	return kept, true
}

// capValue folds the span's value of label li if it is not one of the kept values and there
// is no room; reports whether it folded. Called with c.mu held.
func (c *capper) capValue(service string, kept []map[string]struct{}, li int, attrs pcommon.Map, fallback string) bool {
	l := &c.cfg.Labels[li]
	value := firstValue(attrs, l.Attributes)
	if value == "" {
		value = fallback
	}
	if value == "" || value == c.cfg.FoldedValue {
		return false
	}
	if kept != nil && (c.cfg.MaxValueLength == 0 || len(value) <= c.cfg.MaxValueLength) {
		values := kept[li]
		if _, ok := values[value]; ok {
			return false
		}
		if len(values) < l.MaxValues {
			values[value] = struct{}{}
			return false
		}
		if !c.warned[li] {
			c.warned[li] = true
			c.logger.Warn(fmt.Sprintf("labelcap: label %q reached its cap of %d distinct values for service %q; new values are counted as %q (logged once per label)",
				l.Name, l.MaxValues, service, c.cfg.FoldedValue))
		}
	}
	attrs.PutStr(l.FoldTo, c.cfg.FoldedValue)
	return true
}

// firstValue is the first non-empty value of keys in attrs, as a string ("" when none).
func firstValue(attrs pcommon.Map, keys []string) string {
	for _, k := range keys {
		if v, ok := attrs.Get(k); ok {
			if s := v.AsString(); s != "" {
				return s
			}
		}
	}
	return ""
}
