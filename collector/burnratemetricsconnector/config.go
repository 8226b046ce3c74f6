package burnratemetricsconnector

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
)

// Config of the burnrate_metrics connector.
type Config struct {
	// MaxSpanCostUSD: a cost (burnrate.cost.usd, burnrate.run.cost_usd) above it is invalid
	// (reason cost_too_large).
	MaxSpanCostUSD float64 `mapstructure:"max_span_cost_usd"`
	// MaxStreams bounds the series (label sets of all metrics together; a histogram is one)
	// kept; a span's value for a new series beyond it is dropped and counted.
	MaxStreams int `mapstructure:"max_streams"`
	// MaxStale: a series not updated for this long is forgotten (it restarts from zero).
	MaxStale time.Duration `mapstructure:"max_stale"`
	// FlushInterval: how often the series updated since the last flush are sent on (as
	// cumulative data points) to the metrics pipeline.
	FlushInterval time.Duration `mapstructure:"flush_interval"`
	// SendAllSeries: every flush sends every series kept, updated or not (as a scrape would read
	// them), for push exporters such as prometheus_remote_write: a store then has a sample of each
	// live series every flush_interval, so increase() and rate() see idle gaps as flat, not as
	// missing data. Off, only the series updated since the last flush are sent.
	SendAllSeries bool `mapstructure:"send_all_series"`
	// Storage: a storage extension (file_storage) that keeps the series across restarts: what is
	// sent on is written there first, and a restart continues every counter from its stored total
	// (persist.go). Off when unset.
	Storage *component.ID `mapstructure:"storage"`
	// StorageKey: the stored series are restored only by a Collector with the same key (its
	// collector_instance label); another key starts from zero. Required with storage.
	StorageKey string `mapstructure:"storage_key"`
	// LabelCaps bounds the distinct attribution values per service (the labelcap processor's cap).
	LabelCaps LabelCapsConfig `mapstructure:"label_caps"`
	// Metrics to make.
	Metrics []MetricConfig `mapstructure:"metrics"`
}

// LabelCapsConfig: per service (resource service.name), each label keeps its first N distinct
// values; a later new value, or one longer than MaxValueLength, counts as `other`.
type LabelCapsConfig struct {
	MaxServices    int `mapstructure:"max_services"`
	MaxValueLength int `mapstructure:"max_value_length"`
	Agent          int `mapstructure:"agent"`
	Tool           int `mapstructure:"tool"`
	Tenant         int `mapstructure:"tenant"`
	Endpoint       int `mapstructure:"endpoint"`
	Team           int `mapstructure:"team"`
}

// MetricConfig defines one metric: its name, the measure it counts (which spans and which
// value: measures.go) and its labels.
type MetricConfig struct {
	Name        string            `mapstructure:"name"`
	Description string            `mapstructure:"description"`
	Measure     string            `mapstructure:"measure"`
	Attributes  []AttributeConfig `mapstructure:"attributes"`
	Sum         *SumConfig        `mapstructure:"sum"`
	Histogram   *HistogramConfig  `mapstructure:"histogram"`
}

// AttributeConfig names one label of a metric.
type AttributeConfig struct {
	Key string `mapstructure:"key"`
}

// SumConfig makes a metric a sum; Burnrate's sums are counters (monotonic: true).
type SumConfig struct {
	Monotonic bool `mapstructure:"monotonic"`
}

// HistogramConfig makes a metric an explicit-bucket histogram with these upper bounds.
type HistogramConfig struct {
	Buckets []float64 `mapstructure:"buckets"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if math.IsNaN(c.MaxSpanCostUSD) || c.MaxSpanCostUSD < 0 {
		errs = append(errs, fmt.Errorf("max_span_cost_usd must be a number >= 0, got %v", c.MaxSpanCostUSD))
	}
	if c.MaxStreams < 1 {
		errs = append(errs, fmt.Errorf("max_streams must be at least 1, got %d", c.MaxStreams))
	}
	if c.FlushInterval <= 0 {
		errs = append(errs, fmt.Errorf("flush_interval must be a positive duration, got %s", c.FlushInterval))
	}
	if c.Storage != nil && c.StorageKey == "" {
		errs = append(errs, errors.New("storage_key is required with storage (use the collector_instance)"))
	}
	if c.MaxStale <= c.FlushInterval {
		errs = append(errs, fmt.Errorf("max_stale (%s) must be longer than flush_interval (%s)", c.MaxStale, c.FlushInterval))
	}
	lc := c.LabelCaps
	if lc.MaxServices < 1 {
		errs = append(errs, fmt.Errorf("label_caps: max_services must be at least 1, got %d", lc.MaxServices))
	}
	if lc.MaxValueLength < 0 {
		errs = append(errs, fmt.Errorf("label_caps: max_value_length must not be negative, got %d", lc.MaxValueLength))
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"agent", lc.Agent}, {"tool", lc.Tool}, {"tenant", lc.Tenant}, {"endpoint", lc.Endpoint}, {"team", lc.Team}} {
		if n.v < 0 {
			errs = append(errs, fmt.Errorf("label_caps: %s must not be negative, got %d", n.name, n.v))
		}
	}
	if len(c.Metrics) == 0 {
		errs = append(errs, errors.New("metrics: at least one metric is required"))
	}
	names := map[string]bool{}
	for i := range c.Metrics {
		m := &c.Metrics[i]
		if m.Name == "" {
			errs = append(errs, fmt.Errorf("metrics[%d]: name is required", i))
		} else if names[m.Name] {
			errs = append(errs, fmt.Errorf("metrics[%d]: name %q is used twice", i, m.Name))
		}
		names[m.Name] = true
		if err := m.validate(); err != nil {
			errs = append(errs, fmt.Errorf("metrics[%d] (%s): %w", i, m.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (m *MetricConfig) validate() error {
	ms, ok := measureByName(m.Measure)
	if !ok {
		known := make([]string, 0, numMeasures)
		for _, x := range measures {
			known = append(known, x.name)
		}
		return fmt.Errorf("measure %q is not one of %s", m.Measure, strings.Join(known, ", "))
	}
	info := measures[ms]
	var errs []error
	switch {
	case info.kind == histogram && (m.Histogram == nil || m.Sum != nil):
		errs = append(errs, fmt.Errorf("measure %s makes a histogram: set histogram (buckets), not sum", info.name))
	case info.kind != histogram && (m.Sum == nil || m.Histogram != nil):
		errs = append(errs, fmt.Errorf("measure %s makes a sum: set sum, not histogram", info.name))
	case m.Sum != nil && !m.Sum.Monotonic:
		errs = append(errs, errors.New("sum: monotonic must be true (these sums are counters)"))
	case m.Histogram != nil:
		b := m.Histogram.Buckets
		if len(b) == 0 || !sort.Float64sAreSorted(b) {
			errs = append(errs, errors.New("histogram: buckets must be non-empty and ascending"))
		}
		for i := range b {
			if math.IsNaN(b[i]) || math.IsInf(b[i], 0) || (i > 0 && b[i] == b[i-1]) {
				errs = append(errs, fmt.Errorf("histogram: bucket %v is not a finite, distinct bound", b[i]))
			}
		}
	}
	seen := map[string]bool{}
	for _, a := range m.Attributes {
		l, ok := labelByName(a.Key)
		if !ok || !hasLabel(info.labels, l) {
			allowed := make([]string, 0, len(info.labels))
			for _, x := range info.labels {
				allowed = append(allowed, labelNames[x])
			}
			errs = append(errs, fmt.Errorf("attribute %q is not a label of measure %s (%s)", a.Key, info.name, strings.Join(allowed, ", ")))
		}
		if seen[a.Key] {
			errs = append(errs, fmt.Errorf("attribute %q is listed twice", a.Key))
		}
		seen[a.Key] = true
	}
	return errors.Join(errs...)
}

func hasLabel(ls []label, l label) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}
