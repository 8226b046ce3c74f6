package burnratemetricsconnector

// The labels the connector can put on a metric, and the measures (which spans, which value) a
// metric definition can take. Which spans count and what each label means is fixed here, in
// code, with the precedence collector/README.md documents; the names, descriptions, label lists
// and histogram buckets of the metrics are the configuration's (collector/otelcol.yaml).

type label uint8

const (
	lService label = iota
	lEnvironment
	lTeam
	lEndpoint
	lTenant
	lAgent
	lProvider
	lModel
	lOperation
	lOutcome
	lCostSource
	lDBSystem
	lTokenType
	lTool
	lStep
	lKind
	lMode
	lReason
	numLabels
)

var labelNames = [numLabels]string{
	lService: "service", lEnvironment: "environment", lTeam: "team", lEndpoint: "endpoint",
	lTenant: "tenant", lAgent: "agent", lProvider: "provider", lModel: "model",
	lOperation: "operation", lOutcome: "outcome", lCostSource: "cost_source",
	lDBSystem: "db_system", lTokenType: "token_type", lTool: "tool", lStep: "step",
	lKind: "kind", lMode: "mode", lReason: "reason",
}

type measure uint8

const (
	mLLMCost measure = iota
	mLLMTokens
	mLLMRequests
	mVectorOperations
	mVectorCost
	mRunCost
	mRunCalls
	mStepInputTokens
	mToolCost
	mBreakerTrips
	mInvalidSpans
	numMeasures
)

// valueKind is how a measure's values are kept and exported.
type valueKind uint8

const (
	intSum    valueKind = iota // counts and tokens (whole numbers)
	doubleSum                  // dollars
	histogram                  // explicit-bucket histogram of a double
)

type measureInfo struct {
	name   string
	kind   valueKind
	labels []label // the labels a metric of this measure may have
}

var (
	baseLabels  = []label{lService, lEnvironment, lTeam, lEndpoint, lTenant, lAgent}
	modelLabels = append(append([]label{}, baseLabels...), lProvider, lModel, lOperation, lOutcome, lCostSource)
	with        = func(ls []label, more ...label) []label { return append(append([]label{}, ls...), more...) }
)

var measures = [numMeasures]measureInfo{
	// A model call Burnrate priced (burnrate.cost.source and gen_ai.operation.name), not
	// metered by its app, with no bad value.
	mLLMCost:     {"llm.cost_usd", doubleSum, modelLabels},
	mLLMTokens:   {"llm.tokens", intSum, with(modelLabels, lTokenType)},
	mLLMRequests: {"llm.requests", intSum, modelLabels},
	// A vector-database operation Burnrate priced (burnrate.cost.source and db.system.name).
	mVectorOperations: {"vectordb.operations", intSum, with(baseLabels, lDBSystem, lOperation, lOutcome, lCostSource)},
	mVectorCost:       {"vectordb.cost_usd", doubleSum, with(baseLabels, lDBSystem, lOperation, lOutcome, lCostSource)},
	// A run span (invoke_agent with burnrate.run.cost_usd and burnrate.run.calls).
	mRunCost:  {"agent.run.cost_usd", histogram, baseLabels},
	mRunCalls: {"agent.run.calls", histogram, baseLabels},
	// Every priced model call, metered or not: by step (burnrate.run.step), inside a tool.
	mStepInputTokens: {"agent.step.input_tokens", histogram, with(modelLabels, lStep)},
	mToolCost:        {"agent.tool.cost_usd", doubleSum, with(modelLabels, lTool)},
	// Any span with burnrate.breaker.kind.
	mBreakerTrips: {"agent.breaker.trips", intSum, with(modelLabels, lKind, lMode)},
	// A priced (or run) span left out of every metric for a bad value.
	mInvalidSpans: {"invalid.spans", intSum, with(baseLabels, lReason)},
}

func measureByName(name string) (measure, bool) {
	for m := range measures {
		if measures[m].name == name {
			return measure(m), true
		}
	}
	return 0, false
}

func labelByName(name string) (label, bool) {
	for l, n := range labelNames {
		if n == name {
			return label(l), true
		}
	}
	return 0, false
}

// token types, in the order of the gen_ai.usage.* attributes (attributes.go).
const numTokenTypes = 5

var tokenTypes = [numTokenTypes]string{"input", "output", "cache_read", "cache_write", "reasoning"}
