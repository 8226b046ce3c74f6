package labelcapprocessor

import (
	"errors"
	"fmt"
)

// LabelConfig caps one label: the value is the first non-empty of Attributes (span), then of
// ResourceAttributes; a value beyond the first MaxValues distinct ones of its service is
// written as FoldedValue into the span attribute FoldTo (which the label precedence prefers).
type LabelConfig struct {
	// Name names the label in logs and in the folded-values counter (e.g. agent).
	Name string `mapstructure:"name"`
	// Attributes are the span attributes the label is read from, in order of precedence.
	Attributes []string `mapstructure:"attributes"`
	// ResourceAttributes are read when no span attribute has a value (e.g. burnrate.team).
	ResourceAttributes []string `mapstructure:"resource_attributes"`
	// FoldTo is the span attribute that gets FoldedValue when the value is folded.
	FoldTo string `mapstructure:"fold_to"`
	// MaxValues is how many distinct values each service keeps (0: every value is folded).
	MaxValues int `mapstructure:"max_values"`
}

// Config of the labelcap processor.
type Config struct {
	// Labels to cap.
	Labels []LabelConfig `mapstructure:"labels"`
	// OnlySpansWith: only spans carrying at least one of these attributes are touched (the
	// spans that become metrics). Empty: every span.
	OnlySpansWith []string `mapstructure:"only_spans_with"`
	// MaxServices bounds the services (resource service.name) tracked; the values of any
	// further service are all folded.
	MaxServices int `mapstructure:"max_services"`
	// MaxValueLength: a longer value is never a name and is always folded (0: no limit).
	MaxValueLength int `mapstructure:"max_value_length"`
	// FoldedValue is what a folded value becomes (default "other"); it passes uncounted.
	FoldedValue string `mapstructure:"folded_value"`
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.MaxServices < 1 {
		errs = append(errs, fmt.Errorf("max_services must be at least 1, got %d", c.MaxServices))
	}
	if c.MaxValueLength < 0 {
		errs = append(errs, fmt.Errorf("max_value_length must not be negative, got %d", c.MaxValueLength))
	}
	if c.FoldedValue == "" {
		errs = append(errs, errors.New("folded_value must not be empty"))
	}
	names := map[string]bool{}
	for i, l := range c.Labels {
		if l.Name == "" {
			errs = append(errs, fmt.Errorf("labels[%d]: name is required", i))
		} else if names[l.Name] {
			errs = append(errs, fmt.Errorf("labels[%d]: name %q is used twice", i, l.Name))
		}
		names[l.Name] = true
		if len(l.Attributes) == 0 && len(l.ResourceAttributes) == 0 {
			errs = append(errs, fmt.Errorf("labels[%d] (%s): attributes or resource_attributes is required", i, l.Name))
		}
		if l.FoldTo == "" {
			errs = append(errs, fmt.Errorf("labels[%d] (%s): fold_to is required", i, l.Name))
		}
		if l.MaxValues < 0 {
			errs = append(errs, fmt.Errorf("labels[%d] (%s): max_values must not be negative, got %d", i, l.Name, l.MaxValues))
		}
	}
	return errors.Join(errs...)
}
