package labelcapprocessor

import (
	"context"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
)

// capper is the processor: it reads each selected span's label values, asks the Capper
// (capper.go) whether to fold them, and writes the folded value into the span. One mutex: a
// batch takes it once per resource, and the work under it is a few map lookups per span.
type capper struct {
	cfg    *Config
	logger *zap.Logger

	mu       sync.Mutex
	caps     *Capper
	panicked bool // a recovered panic was logged
}

func newCapper(cfg *Config, set component.TelemetrySettings) (*capper, error) {
	caps, err := NewCapper(cfg, set)
	if err != nil {
		return nil, err
	}
	return &capper{cfg: cfg, logger: set.Logger, caps: caps}, nil
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
		c.caps.Record(ctx, counts)
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
	var caps *ServiceCaps // looked up at the first selected span
	sss := rs.ScopeSpans()
	for si := 0; si < sss.Len(); si++ {
		spans := sss.At(si).Spans()
		for i := 0; i < spans.Len(); i++ {
			attrs := spans.At(i).Attributes()
			if !c.selected(attrs) {
				continue
			}
			if caps == nil {
				caps = c.caps.Service(service)
			}
			for li := range c.cfg.Labels {
				l := &c.cfg.Labels[li]
				value := firstValue(attrs, l.Attributes)
				if value == "" {
					value = fallback[li]
				}
				if c.caps.Fold(caps, li, value) {
					attrs.PutStr(l.FoldTo, c.cfg.FoldedValue)
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
