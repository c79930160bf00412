package graphcli

import (
	"fmt"
	"os"
	"strings"

	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/model"
)

// readWeights reads the JSON summary of a simulator run for -weights.
func readWeights(path string, spec *model.Spec) (*diagram.Weights, error) {
	data, err := os.ReadFile(path)
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-trace: %w", err)
	}
	t, err := diagram.ParseTrace(path, data, spec, property)
	if err != nil {
		return nil, fmt.Errorf("-trace: %s", strings.TrimPrefix(err.Error(), "diagram: "))
	}
	return t, nil
}
