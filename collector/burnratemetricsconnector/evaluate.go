package burnratemetricsconnector

import (
	"math"

	"github.com/burnrate/burnrate/collector/labelcapprocessor"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// What one span counts for, with the rules collector/README.md documents ("What is counted",
// "Bad values never reach a counter", "Label caps per service"). Called with the connector's
// lock held.

const maxWholeCount = 1 << 53 // 9007199254740992: the largest token or call count allowed

// Invalid-span reasons, in the order they are checked (the first that applies wins).
const (
	reasonCostNotNumber = "cost_not_number"
	reasonCostNotFinite = "cost_not_finite"
	reasonCostNegative  = "cost_negative"
	reasonCostTooLarge  = "cost_too_large"
	reasonTokens        = "tokens_invalid"
	reasonCalls         = "calls_invalid"
)

// Fallback label values.
const (
	unknownService = "unknown_service"
	unknown        = "unknown"
	unassigned     = "unassigned"
)

// The capped labels, in the order of the Capper's labels (connector.go).
const (
	capAgent = iota
	capTool
	capTenant
	capEndpoint
	capTeam
	numCaps
)

// resourceLabels are a resource's labels and cap state, looked up once per resource.
type resourceLabels struct {
	service     string // label
	serviceKey  string // service.name as the caps key ("" when absent)
	environment string
	team        string // resource burnrate.team ("" when absent)
	caps        *labelcapprocessor.ServiceCaps
}

// costReason checks a cost attribute: "" when it is a finite number in 0 … max.
func (c *metricsConnector) costReason(sa *spanAttrs, a attr) string {
	v, isNumber := sa.number(a)
	switch {
	case !isNumber:
		return reasonCostNotNumber
	case math.IsNaN(v) || math.IsInf(v, 0):
		return reasonCostNotFinite
	case v < 0:
		return reasonCostNegative
	case v > c.cfg.MaxSpanCostUSD:
		return reasonCostTooLarge
	}
	return ""
}

// wholeCount is the attribute as a count: an int, or a whole double, in 0 … 2^53.
func wholeCount(sa *spanAttrs, a attr) (int64, bool) {
	if !sa.has(a) {
		return 0, false
	}
	switch v := sa.vals[a]; v.Type() {
	case pcommon.ValueTypeInt:
		n := v.Int()
		return n, n >= 0 && n <= maxWholeCount
	case pcommon.ValueTypeDouble:
		d := v.Double()
		return int64(d), d >= 0 && d <= maxWholeCount && d == math.Trunc(d)
	}
	return 0, false
}

// reason is why the span's values cannot be counted ("" when they can).
func (c *metricsConnector) reason(sa *spanAttrs) string {
	if sa.has(aCostUSD) {
		if r := c.costReason(sa, aCostUSD); r != "" {
			return r
		}
	}
	for a := aInputTokens; a <= aReasoningTokens; a++ {
		if _, ok := wholeCount(sa, a); sa.has(a) && !ok {
			return reasonTokens
		}
	}
	if sa.has(aRunCost) {
		if r := c.costReason(sa, aRunCost); r != "" {
			return r
		}
	}
	if _, ok := wholeCount(sa, aRunCalls); sa.has(aRunCalls) && !ok {
		return reasonCalls
	}
	return ""
}

// stepLabel is burnrate.run.step as the power of two at or below it ("" when not a number >= 1).
func stepLabel(sa *spanAttrs) string {
	v, ok := sa.number(aRunStep)
	switch {
	case !ok || !(v >= 1):
		return ""
	case v < 2:
		return "1"
	case v < 4:
		return "2"
	case v < 8:
		return "4"
	case v < 16:
		return "8"
	case v < 32:
		return "16"
	}
	return "32+"
}

// capped is the label's value (first of as, else resourceFallback, else fallback), or the
// folded value when the service's cap for it is full.
func (c *metricsConnector) capped(rl *resourceLabels, sa *spanAttrs, li int, resourceFallback, fallback string, as ...attr) string {
	v := sa.first(resourceFallback, as...)
	if c.caps.Fold(rl.caps, li, v) {
		c.folded[li]++
		return c.caps.FoldedValue()
	}
	if v == "" {
		return fallback
	}
	return v
}

// selected: only spans that can make a metric take part in the label caps (the labelcap
// processor's only_spans_with).
func selected(sa *spanAttrs) bool {
	return sa.keys&(1<<aCostSource|1<<aMetered|1<<aRunCost|1<<aBreakerKind) != 0
}

// consumeSpan counts one span.
func (c *metricsConnector) consumeSpan(rl *resourceLabels, sa *spanAttrs, span ptrace.Span) {
	if !selected(sa) {
		return
	}
	if rl.caps == nil {
		rl.caps = c.caps.Service(rl.serviceKey)
	}
	lv := &c.labels
	lv[lService] = rl.service
	lv[lEnvironment] = rl.environment
	lv[lAgent] = c.capped(rl, sa, capAgent, "", unassigned, aAgent, aAgentName)
	lv[lTool] = c.capped(rl, sa, capTool, "", "", aTool, aToolName)
	lv[lTenant] = c.capped(rl, sa, capTenant, "", unassigned, aTenant)
	lv[lEndpoint] = c.capped(rl, sa, capEndpoint, "", unassigned, aEndpoint, aHTTPRoute)
	lv[lTeam] = c.capped(rl, sa, capTeam, rl.team, unassigned, aTeam)

	priced := sa.has(aCostSource)
	// A span its app already counted (burnrate.metered = true) makes none of the cost metrics.
	metered := sa.has(aMetered) && sa.vals[aMetered].Type() == pcommon.ValueTypeBool && sa.vals[aMetered].Bool()
	counted := priced && !metered
	model := sa.has(aOperation)
	vector := sa.has(aDBSystem)
	run := sa.isStr(aOperation, "invoke_agent") && sa.has(aRunCost)

	lv[lProvider] = sa.first(unknown, aProvider)
	lv[lModel] = sa.first(unknown, aRequestModel, aResponseModel)
	lv[lOperation] = sa.first(unknown, aOperation, aDBOperation)
	lv[lDBSystem] = sa.first(unknown, aDBSystem)
	lv[lOutcome] = "ok"
	if span.Status().Code() == ptrace.StatusCodeError {
		lv[lOutcome] = "error"
	}
	lv[lCostSource] = unknown
	if counted {
		lv[lCostSource] = sa.str(aCostSource)
	}

	if sa.has(aBreakerKind) {
		lv[lKind], lv[lMode] = unknown, unknown
		if k := sa.str(aBreakerKind); sa.vals[aBreakerKind].Type() == pcommon.ValueTypeStr && (k == "loop" || k == "velocity" || k == "steps") {
			lv[lKind] = k
		}
		if sa.isStr(aBreakerMode, "enforce") || sa.isStr(aBreakerMode, "record") {
			lv[lMode] = sa.vals[aBreakerMode].Str()
		}
		c.addInt(mBreakerTrips, 1)
	}

	if r := c.reason(sa); r != "" {
		if (counted && (model || vector)) || run {
			lv[lReason] = r
			c.addInt(mInvalidSpans, 1)
		}
		return
	}
	cost, hasCost := sa.number(aCostUSD)
	if counted && model {
		if hasCost {
			c.addDouble(mLLMCost, cost)
		}
		for i := 0; i < numTokenTypes; i++ {
			if n, ok := wholeCount(sa, aInputTokens+attr(i)); ok {
				lv[lTokenType] = tokenTypes[i]
				c.addInt(mLLMTokens, n)
			}
		}
		c.addInt(mLLMRequests, 1)
	}
	if counted && vector {
		c.addInt(mVectorOperations, 1)
		if hasCost {
			c.addDouble(mVectorCost, cost)
		}
	}
	if run && sa.has(aRunCalls) {
		runCost, _ := sa.number(aRunCost)
		calls, _ := sa.number(aRunCalls)
		c.addDouble(mRunCost, runCost)
		c.addDouble(mRunCalls, calls)
	}
	if priced && model {
		if step := stepLabel(sa); step != "" {
			if n, ok := sa.number(aInputTokens); ok {
				lv[lStep] = step
				c.addDouble(mStepInputTokens, n)
			}
		}
		if lv[lTool] != "" && hasCost {
			c.addDouble(mToolCost, cost)
		}
	}
}
