package burnratemetricsconnector

import (
	"context"
	"sync"
	"time"

	"github.com/burnrate/burnrate/collector/labelcapprocessor"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.uber.org/zap"
)

// metricsConnector counts spans into cumulative series as they arrive (ConsumeTraces) and sends the
// series it updated on to the metrics pipeline every flush_interval; a series a batch started goes
// on at once (so a series the Collector reports as tracked is in the exporter, as with
// deltatocumulative). It never changes a span and never fails a batch: once spans are counted,
// an error could only make the sender retry and count them twice.
type metricsConnector struct {
	cfg    *Config
	logger *zap.Logger
	next   consumer.Metrics
	tel    *telemetry

	// emitMu serialises flushes, so every series reaches the exporters in timestamp order (the
	// Prometheus exporter keeps the latest point it was given); taken before mu.
	emitMu sync.Mutex
	mu     sync.Mutex
	st     *state
	caps   *labelcapprocessor.Capper
	attrs  spanAttrs
	labels [numLabels]string
	folded [numCaps]int64 // spans folded per capped label, in this batch

	id    component.ID
	store storage.Client // with `storage` (persist.go)

	cancel context.CancelFunc
	done   chan struct{}
}

func newConnector(cfg *Config, set component.TelemetrySettings, next consumer.Metrics) (*metricsConnector, error) {
	capCfg := &labelcapprocessor.Config{
		MaxServices:    cfg.LabelCaps.MaxServices,
		MaxValueLength: cfg.LabelCaps.MaxValueLength,
		FoldedValue:    "other",
		// The same labels, precedence and fold targets as the labelcap processor's in
		// collector/README.md; here the folded value is used as the label, never written.
		Labels: []labelcapprocessor.LabelConfig{
			capAgent:    {Name: "agent", Attributes: []string{attrKeys[aAgent], attrKeys[aAgentName]}, FoldTo: attrKeys[aAgent], MaxValues: cfg.LabelCaps.Agent},
			capTool:     {Name: "tool", Attributes: []string{attrKeys[aTool], attrKeys[aToolName]}, FoldTo: attrKeys[aTool], MaxValues: cfg.LabelCaps.Tool},
			capTenant:   {Name: "tenant", Attributes: []string{attrKeys[aTenant]}, FoldTo: attrKeys[aTenant], MaxValues: cfg.LabelCaps.Tenant},
			capEndpoint: {Name: "endpoint", Attributes: []string{attrKeys[aEndpoint], attrKeys[aHTTPRoute]}, FoldTo: attrKeys[aEndpoint], MaxValues: cfg.LabelCaps.Endpoint},
			capTeam:     {Name: "team", Attributes: []string{attrKeys[aTeam]}, ResourceAttributes: []string{resTeam}, FoldTo: attrKeys[aTeam], MaxValues: cfg.LabelCaps.Team},
		},
	}
	if err := capCfg.Validate(); err != nil {
		return nil, err
	}
	caps, err := labelcapprocessor.NewCapper(capCfg, set)
	if err != nil {
		return nil, err
	}
	c := &metricsConnector{cfg: cfg, logger: set.Logger, next: next, st: newState(cfg), caps: caps}
	if c.tel, err = newTelemetry(set, cfg, c.streamCount); err != nil {
		return nil, err
	}
	return c, nil
}

func (*metricsConnector) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: false}
}

// ConsumeTraces counts the spans; always nil (see metricsConnector). It fails open: should
// counting ever panic, the rest of that batch is not counted, the panic is logged, and the
// Collector goes on.
func (c *metricsConnector) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	defer func() {
		if r := recover(); r != nil {
			c.logger.Error("burnrate_metrics: recovered from a panic; the rest of this batch is not counted", zap.Any("panic", r))
		}
	}()
	points, dropped, folded, fresh := c.count(td)
	c.tel.record(ctx, points, dropped)
	c.caps.Record(ctx, folded[:])
	if fresh {
		c.send(context.WithoutCancel(ctx), (*state).collectFresh)
	}
	return nil
}

// count adds the batch's spans to their series; it returns the values added and dropped, the
// spans folded per capped label, and whether a series started.
func (c *metricsConnector) count(td ptrace.Traces) (points, dropped int64, folded [numCaps]int64, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.now = time.Now().UnixNano()
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		res := rs.Resource().Attributes()
		rl := resourceLabels{
			serviceKey:  resourceStr(res, resServiceName),
			environment: resourceStr(res, resEnvironment),
			team:        resourceStr(res, resTeam),
		}
		rl.service = rl.serviceKey
		if rl.service == "" {
			rl.service = unknownService
		}
		if rl.environment == "" {
			rl.environment = unknown
		}
		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for k := 0; k < spans.Len(); k++ {
				span := spans.At(k)
				c.attrs.scan(span.Attributes())
				c.consumeSpan(&rl, &c.attrs, span)
			}
		}
	}
	points, dropped, folded = c.st.points, c.st.dropped, c.folded
	c.st.points, c.st.dropped, c.folded = 0, 0, [numCaps]int64{}
	return points, dropped, folded, len(c.st.fresh) > 0
}

func (c *metricsConnector) addInt(m measure, v int64)      { c.st.addInt(m, &c.labels, v) }
func (c *metricsConnector) addDouble(m measure, v float64) { c.st.addDouble(m, &c.labels, v) }

func (c *metricsConnector) streamCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.st.streams)
}

// Start runs the flush loop: every flush_interval, the updated series go on; once a minute (or
// every max_stale, if shorter), series idle for longer than max_stale are forgotten.
func (c *metricsConnector) Start(ctx context.Context, host component.Host) error {
	if c.cfg.Storage != nil {
		client, err := openStorage(ctx, host, c.id, *c.cfg.Storage)
		if err != nil {
			return err
		}
		c.mu.Lock()
		err = restore(ctx, client, c.st, c.cfg.StorageKey, c.logger)
		if err == nil {
			c.st.persist = &persister{client: client}
			c.store = client
		}
		c.mu.Unlock()
		if err != nil {
			_ = client.Close(ctx)
			return err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel, c.done = cancel, make(chan struct{})
	go func() {
		defer close(c.done)
		tick := time.NewTicker(c.cfg.FlushInterval)
		defer tick.Stop()
		sweepEvery := min(time.Minute, c.cfg.MaxStale)
		nextSweep := time.Now().Add(sweepEvery)
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				c.flush(ctx)
				if now.After(nextSweep) {
					nextSweep = now.Add(sweepEvery)
					c.mu.Lock()
					n := c.st.expire(now.Add(-c.cfg.MaxStale).UnixNano())
					c.mu.Unlock()
					if n > 0 {
						c.logger.Debug("burnrate_metrics: forgot idle series", zap.Int("series", n))
					}
				}
			}
		}
	}()
	return nil
}

// flush sends the series updated since the last flush (every series kept, with send_all_series).
func (c *metricsConnector) flush(ctx context.Context) {
	if c.cfg.SendAllSeries {
		c.send(ctx, (*state).collectAll)
		return
	}
	c.send(ctx, (*state).collectDirty)
}

// send sends what collect returns. An error of the metrics pipeline is logged, not retried: the
// next update of each series carries its whole total again.
func (c *metricsConnector) send(ctx context.Context, collect func(*state, pcommon.Timestamp) (pmetric.Metrics, bool)) {
	c.emitMu.Lock()
	defer c.emitMu.Unlock()
	c.mu.Lock()
	md, ok := collect(c.st, pcommon.NewTimestampFromTime(time.Now()))
	var writes []*storage.Operation
	if c.st.persist != nil {
		writes = c.st.persist.take()
	}
	c.mu.Unlock()
	// With storage, what is sent is stored first: a restart never restores less than was seen.
	if len(writes) > 0 {
		if err := c.store.Batch(ctx, writes...); err != nil {
			c.logger.Warn("burnrate_metrics: storing the series failed; a restart may restore older totals", zap.Error(err))
		}
	}
	if !ok {
		return
	}
	if err := c.next.ConsumeMetrics(ctx, md); err != nil {
		c.logger.Warn("burnrate_metrics: the metrics pipeline refused data points", zap.Error(err))
	}
}

// Shutdown stops the loop and sends what was counted since the last flush.
func (c *metricsConnector) Shutdown(ctx context.Context) error {
	if c.cancel == nil {
		return nil
	}
	c.cancel()
	<-c.done
	c.flush(ctx)
	if c.store != nil {
		return c.store.Close(ctx)
	}
	return nil
}
