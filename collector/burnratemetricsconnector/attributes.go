package burnratemetricsconnector

import (
	"go.opentelemetry.io/collector/pdata/pcommon"
)

// The span attributes the connector reads (docs/contract.md lists each; test/contract.test.ts
// reads the names from the attrKeys table below). A span's attributes are scanned once; each
// of these is then a slot in spanAttrs.
type attr uint8

const (
	aCostSource attr = iota
	aMetered
	aCostUSD
	aInputTokens // the five gen_ai.usage.* token counts, in tokenTypes order
	aOutputTokens
	aCacheReadTokens
	aCacheWriteTokens
	aReasoningTokens
	aRunCost
	aRunCalls
	aRunStep
	aBreakerKind
	aBreakerMode
	aOperation
	aProvider
	aRequestModel
	aResponseModel
	aDBSystem
	aDBOperation
	aTeam
	aEndpoint
	aHTTPRoute
	aTenant
	aAgent
	aAgentName
	aTool
	aToolName
	numAttrs
)

var attrKeys = [numAttrs]string{
	aCostSource:       "burnrate.cost.source",
	aMetered:          "burnrate.metered",
	aCostUSD:          "burnrate.cost.usd",
	aInputTokens:      "gen_ai.usage.input_tokens",
	aOutputTokens:     "gen_ai.usage.output_tokens",
	aCacheReadTokens:  "gen_ai.usage.cache_read.input_tokens",
	aCacheWriteTokens: "gen_ai.usage.cache_creation.input_tokens",
	aReasoningTokens:  "gen_ai.usage.reasoning.output_tokens",
	aRunCost:          "burnrate.run.cost_usd",
	aRunCalls:         "burnrate.run.calls",
	aRunStep:          "burnrate.run.step",
	aBreakerKind:      "burnrate.breaker.kind",
	aBreakerMode:      "burnrate.breaker.mode",
	aOperation:        "gen_ai.operation.name",
	aProvider:         "gen_ai.provider.name",
	aRequestModel:     "gen_ai.request.model",
	aResponseModel:    "gen_ai.response.model",
	aDBSystem:         "db.system.name",
	aDBOperation:      "db.operation.name",
	aTeam:             "burnrate.team",
	aEndpoint:         "burnrate.endpoint",
	aHTTPRoute:        "http.route",
	aTenant:           "burnrate.tenant",
	aAgent:            "burnrate.agent",
	aAgentName:        "gen_ai.agent.name",
	aTool:             "burnrate.tool",
	aToolName:         "gen_ai.tool.name",
}

// Resource attributes read once per resource.
const (
	resServiceName = "service.name"
	resEnvironment = "deployment.environment.name"
	resTeam        = "burnrate.team"
)

// attrIndex maps the keys above to their slot.
var attrIndex = func() map[string]attr {
	m := make(map[string]attr, numAttrs)
	for i, k := range attrKeys {
		m[k] = attr(i)
	}
	return m
}()

// spanAttrs holds the attributes of one span the connector reads. An attribute is present when
// its key is there with a value that is not empty (OTTL's nil); the first of duplicate keys wins.
type spanAttrs struct {
	keys    uint32 // bit per attr: the key is there (whatever its value)
	present uint32 // bit per attr: the key is there with a value
	vals    [numAttrs]pcommon.Value
}

func (s *spanAttrs) scan(m pcommon.Map) {
	s.keys, s.present = 0, 0
	m.Range(func(k string, v pcommon.Value) bool {
		// Every key we read starts with b, g, d or h: skip the others without a lookup.
		if len(k) < 10 || (k[0] != 'b' && k[0] != 'g' && k[0] != 'd' && k[0] != 'h') {
			return true
		}
		a, ok := attrIndex[k]
		if !ok || s.keys&(1<<a) != 0 {
			return true
		}
		s.keys |= 1 << a
		if v.Type() != pcommon.ValueTypeEmpty {
			s.present |= 1 << a
			s.vals[a] = v
		}
		return true
	})
}

func (s *spanAttrs) has(a attr) bool { return s.present&(1<<a) != 0 }

// str is the attribute as a string ("" when absent), as OTTL and the exporter render it.
func (s *spanAttrs) str(a attr) string {
	if !s.has(a) {
		return ""
	}
	v := s.vals[a]
	if v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return v.AsString()
}

// first is the first of the attributes with a non-empty value, else fallback.
func (s *spanAttrs) first(fallback string, as ...attr) string {
	for _, a := range as {
		if v := s.str(a); v != "" {
			return v
		}
	}
	return fallback
}

// isStr reports whether the attribute is the string want.
func (s *spanAttrs) isStr(a attr, want string) bool {
	return s.has(a) && s.vals[a].Type() == pcommon.ValueTypeStr && s.vals[a].Str() == want
}

// number is an int or double attribute as a float64.
func (s *spanAttrs) number(a attr) (float64, bool) {
	if !s.has(a) {
		return 0, false
	}
	switch v := s.vals[a]; v.Type() {
	case pcommon.ValueTypeInt:
		return float64(v.Int()), true
	case pcommon.ValueTypeDouble:
		return v.Double(), true
	}
	return 0, false
}

// resourceStr is a resource attribute as a string ("" when absent).
func resourceStr(m pcommon.Map, key string) string {
	v, ok := m.Get(key)
	if !ok || v.Type() == pcommon.ValueTypeEmpty {
		return ""
	}
	return v.AsString()
}
