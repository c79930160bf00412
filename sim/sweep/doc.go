// Package sweep parses parameter sweeps over a scenario file and draws
// their results.
//
// A sweep names scenario values by their dotted path in the file
// ("operator.agents", "failures.expand", "durations.Expanding.median") and
// gives each a list of values ("1,2,3,4,6") or a range "from:to:steps"
// (steps evenly spaced points, ends included; "30s:2m:4" keeps the unit).
// Several parameters, separated by ";" in one [Parse] call or given in
// several, form a grid: [Grid] returns every combination, the first
// parameter varying slowest. Applying a value to the file is
// scenarios.Set's business, so that the scenario loader checks it like
// any other.
//
// [Plot] draws each output of a sweep against the first parameter, one
// panel per output with 95% error bars, one line per combination of the
// other parameters, as PNG or SVG.
package sweep
