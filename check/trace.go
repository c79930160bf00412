package check

import "github.com/evsim/evsim/model"

// NewTraceStep describes one step of sys, action a from state from to state
// to, as the traces of a [Report] do; random sequences report their
// stories with it.
func NewTraceStep(sys *model.System, from *model.State, a model.Action, to *model.State) TraceStep {
	m := SystemModel{sys: sys}
	return m.traceStep(from, a, to)
}
