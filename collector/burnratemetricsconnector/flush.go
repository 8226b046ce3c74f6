package burnratemetricsconnector

import (
	"sort"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
)

// scopeName names the instrumentation scope of the metrics the connector makes (the Prometheus
// exporter drops it: without_scope_info).
const scopeName = "github.com/burnrate/burnrate/collector/burnratemetricsconnector"

// collectDirty is the streams updated since its last call, as cumulative data points.
// Called with the connector's lock held.
func (s *state) collectDirty(now pcommon.Timestamp) (pmetric.Metrics, bool) {
	md, ok := s.build(s.dirty, now)
	for _, st := range s.dirty {
		st.dirty = false
	}
	clear(s.dirty)
	s.dirty = s.dirty[:0]
	return md, ok
}

// collectAll is every stream kept, as cumulative data points (send_all_series); it clears the
// updated marks too (each is in this send). Called with the connector's lock held.
func (s *state) collectAll(now pcommon.Timestamp) (pmetric.Metrics, bool) {
	all := make([]*stream, 0, len(s.streams))
	for _, st := range s.streams {
		all = append(all, st)
	}
	// One order per flush (map order is random): by metric, then label key.
	sort.Slice(all, func(i, j int) bool {
		if all[i].metric != all[j].metric {
			return all[i].metric < all[j].metric
		}
		return all[i].key < all[j].key
	})
	for _, st := range s.dirty {
		st.dirty = false
	}
	clear(s.dirty)
	s.dirty = s.dirty[:0]
	return s.build(all, now)
}

// collectFresh is the streams started since its last call (they stay dirty: collectDirty sends
// them again with any later update). Called with the connector's lock held.
func (s *state) collectFresh(now pcommon.Timestamp) (pmetric.Metrics, bool) {
	md, ok := s.build(s.fresh, now)
	clear(s.fresh)
	s.fresh = s.fresh[:0]
	return md, ok
}

// build turns streams into cumulative data points, one metric per definition, on a resource
// with no attributes (Prometheus then sets its own job and instance); ok is false for none.
func (s *state) build(streams []*stream, now pcommon.Timestamp) (md pmetric.Metrics, ok bool) {
	if len(streams) == 0 {
		return md, false
	}
	if s.persist != nil {
		s.persist.record(s, streams)
	}
	md = pmetric.NewMetrics()
	sm := md.ResourceMetrics().AppendEmpty().ScopeMetrics().AppendEmpty()
	sm.Scope().SetName(scopeName)
	perMetric := make([]pmetric.Metric, len(s.defs))
	have := make([]bool, len(s.defs))
	for _, st := range streams {
		d := &s.defs[st.metric]
		m := perMetric[st.metric]
		if !have[st.metric] {
			have[st.metric] = true
			m = sm.Metrics().AppendEmpty()
			m.SetName(d.name)
			m.SetDescription(d.description)
			if d.kind == histogram {
				m.SetEmptyHistogram().SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
			} else {
				sum := m.SetEmptySum()
				sum.SetAggregationTemporality(pmetric.AggregationTemporalityCumulative)
				sum.SetIsMonotonic(true)
			}
			perMetric[st.metric] = m
		}
		var attrs pcommon.Map
		start := pcommon.Timestamp(st.start)
		switch d.kind {
		case histogram:
			dp := m.Histogram().DataPoints().AppendEmpty()
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(now)
			dp.ExplicitBounds().FromRaw(d.bounds)
			dp.BucketCounts().FromRaw(st.counts)
			dp.SetCount(st.count)
			dp.SetSum(st.f)
			attrs = dp.Attributes()
		case intSum:
			dp := m.Sum().DataPoints().AppendEmpty()
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(now)
			dp.SetIntValue(st.i)
			attrs = dp.Attributes()
		default:
			dp := m.Sum().DataPoints().AppendEmpty()
			dp.SetStartTimestamp(start)
			dp.SetTimestamp(now)
			dp.SetDoubleValue(st.f)
			attrs = dp.Attributes()
		}
		attrs.EnsureCapacity(len(d.labels))
		for i, l := range d.labels {
			attrs.PutStr(labelNames[l], st.labels[i])
		}
	}
	return md, true
}
