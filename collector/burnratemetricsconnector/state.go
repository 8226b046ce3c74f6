package burnratemetricsconnector

import (
	"encoding/binary"
	"math"
	"sort"
)

// The series the connector keeps: one stream per metric and label set, holding its cumulative
// value since the stream started. Updated in place for every span (no per-batch delta data
// points); the streams updated since the last flush are sent on at the next one (flush.go).
// Called with the connector's lock held.

type metricDef struct {
	name, description string
	measure           measure
	kind              valueKind
	labels            []label
	bounds            []float64 // histogram
}

type stream struct {
	key    string
	metric int
	labels []string // label values in the metric's label order (substrings of key)
	start  int64    // unix nanoseconds: when the stream started (its data points' start time)
	last   int64    // unix nanoseconds: last update
	dirty  bool     // updated since the last flush

	i      int64   // intSum
	f      float64 // doubleSum; histogram sum
	count  uint64  // histogram
	counts []uint64
}

type state struct {
	defs       []metricDef
	byMeasure  [numMeasures][]int // metric indexes per measure
	maxStreams int
	streams    map[string]*stream
	dirty      []*stream // updated since the last collectDirty
	fresh      []*stream // started since the last collectFresh
	key        []byte    // scratch

	now             int64 // unix nanoseconds of the batch being counted
	points, dropped int64 // data points added / dropped at max_streams since last read

	persist *persister // with `storage`: what is sent is written first (persist.go)
}

func newState(cfg *Config) *state {
	s := &state{maxStreams: cfg.MaxStreams, streams: map[string]*stream{}}
	for i, m := range cfg.Metrics {
		ms, _ := measureByName(m.Measure)
		d := metricDef{name: m.Name, description: m.Description, measure: ms, kind: measures[ms].kind}
		for _, a := range m.Attributes {
			l, _ := labelByName(a.Key)
			d.labels = append(d.labels, l)
		}
		if m.Histogram != nil {
			d.bounds = append([]float64{}, m.Histogram.Buckets...)
		}
		s.defs = append(s.defs, d)
		s.byMeasure[ms] = append(s.byMeasure[ms], i)
	}
	return s
}

// get finds or starts the stream of metric mi with the label values lv; nil when it is new and
// max_streams streams are kept already (the data point is dropped and counted).
func (s *state) get(mi int, lv *[numLabels]string) *stream {
	d := &s.defs[mi]
	var offs [numLabels]int // where each label value starts in the key
	k := append(s.key[:0], byte(mi), byte(mi>>8))
	for i, l := range d.labels {
		k = binary.AppendUvarint(k, uint64(len(lv[l])))
		offs[i] = len(k)
		k = append(k, lv[l]...)
	}
	s.key = k
	if st, ok := s.streams[string(k)]; ok {
		return st
	}
	if len(s.streams) >= s.maxStreams {
		s.dropped++
		return nil
	}
	st := &stream{key: string(k), metric: mi, start: s.now, labels: make([]string, len(d.labels))}
	// The label values are substrings of the key: one copy of them, not retaining the request.
	for i, l := range d.labels {
		st.labels[i] = st.key[offs[i] : offs[i]+len(lv[l])]
	}
	if d.kind == histogram {
		st.counts = make([]uint64, len(d.bounds)+1)
	}
	s.streams[st.key] = st
	s.fresh = append(s.fresh, st)
	return st
}

func (s *state) touch(st *stream) {
	st.last = s.now
	s.points++
	if !st.dirty {
		st.dirty = true
		s.dirty = append(s.dirty, st)
	}
}

// addInt adds v to every metric of measure m, for the labels lv.
func (s *state) addInt(m measure, lv *[numLabels]string, v int64) {
	for _, mi := range s.byMeasure[m] {
		st := s.get(mi, lv)
		if st == nil {
			continue
		}
		// Saturate rather than wrap: a counter must never go down.
		if st.i > math.MaxInt64-v {
			st.i = math.MaxInt64
		} else {
			st.i += v
		}
		s.touch(st)
	}
}

// addDouble adds v to every sum metric of measure m, or records it in every histogram one.
func (s *state) addDouble(m measure, lv *[numLabels]string, v float64) {
	for _, mi := range s.byMeasure[m] {
		st := s.get(mi, lv)
		if st == nil {
			continue
		}
		st.f += v
		if st.counts != nil {
			st.count++
			st.counts[sort.SearchFloat64s(s.defs[mi].bounds, v)]++
		}
		s.touch(st)
	}
}

// expire forgets the streams not updated since before cutoff (unix nanoseconds): they restart
// from zero, with a new start time, at their next span.
func (s *state) expire(cutoff int64) int {
	n := 0
	for k, st := range s.streams {
		if st.last < cutoff && !st.dirty {
			delete(s.streams, k)
			if s.persist != nil {
				s.persist.deletes = append(s.persist.deletes, k)
			}
			n++
		}
	}
	return n
}
