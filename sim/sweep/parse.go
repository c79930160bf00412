package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Param is one swept scenario value: its dotted path and the values it
// takes, as text, in order.
type Param struct {
	Path   string
	Values []string
}

// MaxPoints bounds the values of one parameter and the points of a grid.
const MaxPoints = 1000

// Parse reads "PATH=v1,v2,..." or "PATH=from:to:steps"; several such
// parameters may be joined with ";". Paths are checked against the
// scenario later; Parse checks the syntax and the ranges.
func Parse(s string) ([]Param, error) {
	var out []Param
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		path, vals, ok := strings.Cut(part, "=")
		path, vals = strings.TrimSpace(path), strings.TrimSpace(vals)
		if !ok || path == "" || vals == "" {
			return nil, fmt.Errorf("sweep: %q: want PATH=v1,v2,... or PATH=from:to:steps, such as operator.agents=1,2,4", part)
		}
		var values []string
		if strings.Contains(vals, ":") {
			v, err := parseRange(vals)
			if err != nil {
				return nil, fmt.Errorf("sweep: %s: %w", path, err)
			}
			values = v
		} else {
			for _, v := range strings.Split(vals, ",") {
				v = strings.TrimSpace(v)
				if v == "" {
					return nil, fmt.Errorf("sweep: %s: empty value in %q; want values separated by commas", path, vals)
				}
				values = append(values, v)
			}
		}
		if len(values) > MaxPoints {
			return nil, fmt.Errorf("sweep: %s: %d values; want at most %d", path, len(values), MaxPoints)
		}
		for _, p := range out {
			if p.Path == path {
				return nil, fmt.Errorf("sweep: %s is swept twice; want each path once", path)
			}
		}
		out = append(out, Param{Path: path, Values: values})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sweep: %q: no parameter; want PATH=v1,v2,... or PATH=from:to:steps", s)
	}
	return out, nil
}

// splitUnit splits "2.5h" into 2.5 and "h"; the unit is what follows the
// number (letters only).
func splitUnit(s string) (float64, string, error) {
	i := len(s)
	for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
		i--
	}
	num, unit := s[:i], s[i:]
	if unit == "e" || unit == "E" {
		return 0, "", fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, "", fmt.Errorf("%q is not a number (with an optional unit, such as 30s)", s)
	}
	return v, unit, nil
}

func parseRange(s string) ([]string, error) {
	f := strings.Split(s, ":")
	if len(f) != 3 {
		return nil, fmt.Errorf("range %q: want from:to:steps, such as 1:6:6", s)
	}
	from, u1, err := splitUnit(strings.TrimSpace(f[0]))
	if err != nil {
		return nil, fmt.Errorf("range %q: %w", s, err)
	}
	to, u2, err := splitUnit(strings.TrimSpace(f[1]))
	if err != nil {
		return nil, fmt.Errorf("range %q: %w", s, err)
	}
	if u1 != u2 {
		return nil, fmt.Errorf("range %q: the ends have different units (%q, %q); want the same", s, u1, u2)
	}
	steps, err := strconv.Atoi(strings.TrimSpace(f[2]))
	if err != nil || steps < 1 || steps > MaxPoints {
		return nil, fmt.Errorf("range %q: steps %q; want a whole number of points from 1 to %d", s, f[2], MaxPoints)
	}
	if steps == 1 {
		if from != to {
			return nil, fmt.Errorf("range %q: one step needs from equal to to; want 2 steps or more", s)
		}
		return []string{format(from) + u1}, nil
	}
	out := make([]string, steps)
	for k := range steps {
		v := from + (to-from)*float64(k)/float64(steps-1)
		out[k] = format(v) + u1
	}
	return out, nil
}

// format renders v with at most 12 significant digits, so that a range
// of tenths reads 0.3 and not 0.30000000000000004.
func format(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Grid returns every combination of the parameters' values, the first
// parameter varying slowest, or an error beyond MaxPoints combinations.
func Grid(ps []Param) ([][]string, error) {
	n := 1
	for _, p := range ps {
		n *= len(p.Values)
		if n > MaxPoints {
			return nil, fmt.Errorf("sweep: more than %d points in the grid; want fewer values", MaxPoints)
		}
	}
	out := make([][]string, 0, n)
	var rec func(i int, cur []string)
	rec = func(i int, cur []string) {
		if i == len(ps) {
			out = append(out, append([]string(nil), cur...))
			return
		}
		for _, v := range ps[i].Values {
			rec(i+1, append(cur, v))
		}
	}
	rec(0, nil)
	return out, nil
}

// Number reads a value as a number for a plot axis: a plain number, or a
// duration (s, m, h, d, w) in hours. ok is false for a word.
func Number(v string) (x float64, unit string, ok bool) {
	f, u, err := splitUnit(v)
	if err != nil {
		return 0, "", false
	}
	mult := map[string]float64{"s": 1.0 / 3600, "m": 1.0 / 60, "h": 1, "d": 24, "w": 168}
	if u == "" {
		return f, "", true
	}
	if m, ok := mult[u]; ok {
		return f * m, "h", true
	}
	return 0, "", false
}
