package burnratemetricsconnector

import (
	"context"
	"math"
	"sync"
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// memStorage is a storage extension keeping its entries in a map (as file_storage keeps them on
// disk): it outlives the connectors that use it, as the disk outlives a Collector process.
type memStorage struct {
	mu      sync.Mutex
	entries map[string][]byte
}

func (*memStorage) Start(context.Context, component.Host) error { return nil }
func (*memStorage) Shutdown(context.Context) error              { return nil }
func (m *memStorage) GetClient(context.Context, component.Kind, component.ID, string) (storage.Client, error) {
	return memClient{m}, nil
}

type memClient struct{ m *memStorage }

func (c memClient) Get(_ context.Context, k string) ([]byte, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	return c.m.entries[k], nil
}
func (c memClient) Set(_ context.Context, k string, v []byte) error {
	return c.Batch(context.Background(), storage.SetOperation(k, v))
}
func (c memClient) Delete(_ context.Context, k string) error {
	return c.Batch(context.Background(), storage.DeleteOperation(k))
}
func (c memClient) Batch(_ context.Context, ops ...*storage.Operation) error {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	for _, op := range ops {
		switch op.Type {
		case storage.Set:
			c.m.entries[op.Key] = append([]byte(nil), op.Value...)
		case storage.Delete:
			delete(c.m.entries, op.Key)
		case storage.Get:
			op.Value = c.m.entries[op.Key]
		}
	}
	return nil
}
func (c memClient) Walk(ctx context.Context, fn storage.WalkFunc) error {
	c.m.mu.Lock()
	var ops []*storage.Operation
	for k, v := range c.m.entries {
		more, err := fn(k, v)
		if err != nil {
			c.m.mu.Unlock()
			return err
		}
		ops = append(ops, more...)
	}
	c.m.mu.Unlock()
	return c.Batch(ctx, ops...)
}
func (memClient) Close(context.Context) error { return nil }

type storageHost struct{ ext *memStorage }

func (h storageHost) GetExtensions() map[component.ID]component.Component {
	return map[component.ID]component.Component{component.MustNewID("file_storage"): h.ext}
}

func storedConfig(t *testing.T, key string) *Config {
	cfg := shippedConfig(t, nil)
	id := component.MustNewID("file_storage")
	cfg.Storage = &id
	cfg.StorageKey = key
	return cfg
}

func started(t *testing.T, cfg *Config, disk *memStorage) *harness {
	h := newHarness(t, cfg)
	if err := h.c.Start(context.Background(), storageHost{disk}); err != nil {
		t.Fatal(err)
	}
	return h
}

// lastCost is the llm cost total and start time in the last send that has the metric.
func lastCost(t *testing.T, h *harness) (float64, int64) {
	all := h.sink.AllMetrics()
	for i := len(all) - 1; i >= 0; i-- {
		ms := all[i].ResourceMetrics().At(0).ScopeMetrics().At(0).Metrics()
		for j := 0; j < ms.Len(); j++ {
			if ms.At(j).Name() != "burnrate.llm.cost.usd" {
				continue
			}
			var sum float64
			var start int64
			dps := ms.At(j).Sum().DataPoints()
			for k := 0; k < dps.Len(); k++ {
				sum += dps.At(k).DoubleValue()
				start = int64(dps.At(k).StartTimestamp())
			}
			return sum, start
		}
	}
	t.Fatal("no cost metric sent")
	return 0, 0
}

// A graceful restart continues every counter from its total, with its start time: no reset.
func TestStorageRestartContinuesCounters(t *testing.T) {
	disk := &memStorage{entries: map[string][]byte{}}
	a := started(t, storedConfig(t, "gateway-1"), disk)
	a.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	a.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	if err := a.c.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, start := lastCost(t, a)

	b := started(t, storedConfig(t, "gateway-1"), disk)
	if n := b.c.streamCount(); n != a.c.streamCount() {
		t.Fatalf("%d series restored, want %d", n, a.c.streamCount())
	}
	b.consume(t, span{resource: app, attrs: llm(map[string]any{"burnrate.tenant": "a"})})
	b.c.flush(context.Background())
	after, start2 := lastCost(t, b)
	if before != 0.025 || math.Abs(after-0.0375) > 1e-15 || start2 != start {
		t.Errorf("cost %v then %v (start %d then %d): want 0.025 then 0.0375, one start time", before, after, start, start2)
	}
}

// After a crash (no Shutdown) the restored totals are never below what was sent: a counter
// Prometheus saw never goes down (which it would read as a reset and count again).
func TestStorageNeverRestoresLessThanWasSent(t *testing.T) {
	disk := &memStorage{entries: map[string][]byte{}}
	a := started(t, storedConfig(t, "gateway-1"), disk)
	a.consume(t, span{resource: app, attrs: llm(nil)})
	a.c.flush(context.Background())
	a.consume(t, span{resource: app, attrs: llm(nil)})
	a.c.flush(context.Background())
	sent, _ := lastCost(t, a)
	a.consume(t, span{resource: app, attrs: llm(nil)}) // counted, never flushed: the crash's loss
	a.c.cancel()

	b := started(t, storedConfig(t, "gateway-1"), disk)
	b.c.flush(context.Background()) // the restored series go on at the first flush
	restored, _ := lastCost(t, b)
	if restored != sent {
		t.Errorf("restored %v after a crash, want what was sent: %v", restored, sent)
	}
}

// Stored under another key (another collector_instance): not restored, and removed.
func TestStorageOtherKeyStartsFromZero(t *testing.T) {
	disk := &memStorage{entries: map[string][]byte{}}
	a := started(t, storedConfig(t, "gateway-1"), disk)
	a.consume(t, span{resource: app, attrs: llm(nil)})
	if err := a.c.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := started(t, storedConfig(t, "gateway-1-start-2"), disk)
	if n := b.c.streamCount(); n != 0 {
		t.Fatalf("%d series restored under another key", n)
	}
	if len(disk.entries) != 1 || string(disk.entries[metaKey]) != "gateway-1-start-2" {
		t.Errorf("storage holds %d entries after a key change, want only the new key", len(disk.entries))
	}
}

// A record of an older configuration (unknown metric, other labels) is skipped, not restored.
func TestStorageSkipsRecordsOfAnotherConfig(t *testing.T) {
	cfg := storedConfig(t, "g")
	s := newState(cfg)
	byName := map[string]int{}
	for i := range s.defs {
		byName[s.defs[i].name] = i
	}
	st := &stream{metric: 0, labels: make([]string, len(s.defs[0].labels)), start: 1, last: 2, f: 1.5}
	good := encodeStream(&s.defs[0], st)
	if _, ok := decodeStream(good, s, byName); !ok {
		t.Fatal("a record of this configuration was not decoded")
	}
	renamed := encodeStream(&metricDef{name: "burnrate.gone", labels: s.defs[0].labels}, st)
	if _, ok := decodeStream(renamed, s, byName); ok {
		t.Error("a record of an unknown metric was decoded")
	}
	if _, ok := decodeStream(good[:len(good)-3], s, byName); ok {
		t.Error("a truncated record was decoded")
	}
}
