package burnratemetricsconnector

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"
)

// Series kept across restarts (config `storage`): every series a flush (or a batch that starts
// series) sends on is written to the storage extension first, in one batch, so what the exporters
// ever saw is never more than what a restart restores. A restart then continues each counter
// from its stored total (no reset for Prometheus to miss, no lost tail after a graceful stop);
// after a crash, only what was counted since the last flush is gone. The stored series are
// restored only by a Collector with the same `storage_key` (its collector_instance): series
// restored under another instance label would be new series whose whole value some queries count
// again.

const (
	seriesPrefix = "s/"
	metaKey      = "burnrate_metrics/storage_key"
	recordFormat = 1
)

type persister struct {
	client  storage.Client
	deletes []string // keys of streams expired since the last write
	sets    []*storage.Operation
}

// openStorage gets this connector's client of the configured storage extension.
func openStorage(ctx context.Context, host component.Host, id component.ID, ext component.ID) (storage.Client, error) {
	e, ok := host.GetExtensions()[ext]
	if !ok {
		return nil, fmt.Errorf("storage: no extension %q in service.extensions", ext)
	}
	se, ok := e.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("storage: extension %q is not a storage extension", ext)
	}
	return se.GetClient(ctx, component.KindConnector, id, "")
}

// restore loads the stored series into s (marked updated: the first flush sends them on), or,
// when they were stored under another storage_key, deletes them. Called before counting starts.
func restore(ctx context.Context, client storage.Client, s *state, key string, logger *zap.Logger) error {
	walker, ok := client.(storage.Walker)
	if !ok {
		return errors.New("storage: the extension's client cannot list its keys")
	}
	stored, err := client.Get(ctx, metaKey)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	keep := stored != nil && string(stored) == key
	byName := map[string]int{}
	for i := range s.defs {
		byName[s.defs[i].name] = i
	}
	restored, skipped := 0, 0
	err = walker.Walk(ctx, func(k string, v []byte) ([]*storage.Operation, error) {
		if !strings.HasPrefix(k, seriesPrefix) {
			return nil, nil
		}
		if !keep {
			return []*storage.Operation{storage.DeleteOperation(k)}, nil
		}
		st, ok := decodeStream(v, s, byName)
		if !ok || len(s.streams) >= s.maxStreams {
			skipped++
			return []*storage.Operation{storage.DeleteOperation(k)}, nil
		}
		s.streams[st.key] = st
		st.dirty = true
		s.dirty = append(s.dirty, st)
		restored++
		return nil, nil
	})
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	if !keep && stored != nil {
		logger.Info("burnrate_metrics: stored series belong to another storage_key; starting from zero",
			zap.String("stored", string(stored)), zap.String("storage_key", key))
	}
	if restored > 0 || skipped > 0 {
		logger.Info("burnrate_metrics: restored series", zap.Int("series", restored), zap.Int("skipped", skipped))
	}
	return client.Set(ctx, metaKey, []byte(key))
}

// record queues the current values of streams for the next write (called with the lock held,
// from build: exactly the streams about to be sent).
func (p *persister) record(s *state, streams []*stream) {
	for _, st := range streams {
		p.sets = append(p.sets, storage.SetOperation(seriesPrefix+st.key, encodeStream(&s.defs[st.metric], st)))
	}
}

// take returns the queued writes, deletions first (a stream expired and started again is deleted,
// then set). Called with the lock held.
func (p *persister) take() []*storage.Operation {
	if len(p.deletes) == 0 && len(p.sets) == 0 {
		return nil
	}
	ops := make([]*storage.Operation, 0, len(p.deletes)+len(p.sets))
	for _, k := range p.deletes {
		ops = append(ops, storage.DeleteOperation(seriesPrefix+k))
	}
	ops = append(ops, p.sets...)
	p.deletes, p.sets = p.deletes[:0], nil
	return ops
}

// encodeStream: format byte, metric name, label values, start, last, int value, double value,
// histogram count and bucket counts.
func encodeStream(d *metricDef, st *stream) []byte {
	b := make([]byte, 0, 64+len(st.key)+8*len(st.counts))
	b = append(b, recordFormat)
	b = appendString(b, d.name)
	b = binary.AppendUvarint(b, uint64(len(st.labels)))
	for _, l := range st.labels {
		b = appendString(b, l)
	}
	b = binary.AppendVarint(b, st.start)
	b = binary.AppendVarint(b, st.last)
	b = binary.AppendVarint(b, st.i)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(st.f))
	b = binary.AppendUvarint(b, st.count)
	b = binary.AppendUvarint(b, uint64(len(st.counts)))
	for _, c := range st.counts {
		b = binary.AppendUvarint(b, c)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// decodeStream rebuilds a stream of this configuration; false when the record is unreadable or
// its metric no longer exists with the same labels and buckets.
func decodeStream(b []byte, s *state, byName map[string]int) (*stream, bool) {
	r := reader{b: b}
	if r.byte() != recordFormat {
		return nil, false
	}
	mi, ok := byName[r.string()]
	if !ok {
		return nil, false
	}
	d := &s.defs[mi]
	n := r.uvarint()
	if r.bad || n != uint64(len(d.labels)) {
		return nil, false
	}
	values := make([]string, n)
	for i := range values {
		values[i] = r.string()
	}
	st := &stream{metric: mi}
	st.start, st.last, st.i = r.varint(), r.varint(), r.varint()
	st.f = math.Float64frombits(r.uint64())
	st.count = r.uvarint()
	nc := r.uvarint()
	want := uint64(0)
	if d.kind == histogram {
		want = uint64(len(d.bounds) + 1)
	}
	if r.bad || nc != want {
		return nil, false
	}
	if nc > 0 {
		st.counts = make([]uint64, nc)
		for i := range st.counts {
			st.counts[i] = r.uvarint()
		}
	}
	if r.bad || r.i != len(b) {
		return nil, false
	}
	// The key as state.get makes it; the label values are substrings of it.
	k := []byte{byte(mi), byte(mi >> 8)}
	offs := make([]int, len(values))
	for i, v := range values {
		k = binary.AppendUvarint(k, uint64(len(v)))
		offs[i] = len(k)
		k = append(k, v...)
	}
	st.key = string(k)
	st.labels = make([]string, len(values))
	for i, v := range values {
		st.labels[i] = st.key[offs[i] : offs[i]+len(v)]
	}
	return st, true
}

type reader struct {
	b   []byte
	i   int
	bad bool
}

func (r *reader) byte() byte {
	if r.i >= len(r.b) {
		r.bad = true
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.i += n
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.i += n
	return v
}

func (r *reader) uint64() uint64 {
	if r.i+8 > len(r.b) {
		r.bad = true
		return 0
	}
	r.i += 8
	return binary.LittleEndian.Uint64(r.b[r.i-8 : r.i])
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)-r.i) {
		r.bad = true
		return ""
	}
	r.i += int(n)
	return string(r.b[r.i-int(n) : r.i])
}
