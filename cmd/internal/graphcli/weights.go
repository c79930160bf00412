package graphcli

import (
	"fmt"
	"strings"

	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/internal/readfile"
	"github.com/evsim/evsim/model"
)

// The largest files -weights and -trace read: a simulator summary and a
// checker report are tens of kilobytes; a file this large is not one.
const (
	MaxWeightsBytes = 64 << 20
	MaxTraceBytes   = 64 << 20
)

// readWeights reads the JSON summary of a simulator run for -weights.
func readWeights(path string, spec *model.Spec) (*diagram.Weights, error) {
	data, err := readfile.Read(path, MaxWeightsBytes)
	if err != nil {
		return nil, fmt.Errorf("-weights: %w", err)
	}
	w, err := diagram.ParseWeights(path, data, spec)
	if err != nil {
		return nil, fmt.Errorf("-weights: %s", strings.TrimPrefix(err.Error(), "diagram: "))
	}
	return w, nil
}

// readTrace reads a counterexample from the JSON report of cmd/check.
func readTrace(path, property string, spec *model.Spec) (*diagram.Trace, error) {
	data, err := readfile.Read(path, MaxTraceBytes)
	if err != nil {
		return nil, fmt.Errorf("-trace: %w", err)
	}
	t, err := diagram.ParseTrace(path, data, spec, property)
	if err != nil {
		return nil, fmt.Errorf("-trace: %s", strings.TrimPrefix(err.Error(), "diagram: "))
	}
	return t, nil
}
