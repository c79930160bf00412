package scenarios

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Paths returns the dotted paths of the scalar values of a scenario file
// that [Set] can change ("operator.agents", "failures.expand",
// "durations.Expanding.median", ...), sorted. The name and the
// description are left out.
func Paths(data []byte) ([]string, error) {
	root, err := rootMapping(data)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(prefix string, pairs []*ast.MappingValueNode)
	walk = func(prefix string, pairs []*ast.MappingValueNode) {
		for _, kv := range pairs {
			k := keyText(kv)
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			switch v := kv.Value.(type) {
			case *ast.MappingNode:
				walk(p, v.Values)
			case *ast.MappingValueNode:
				walk(p, []*ast.MappingValueNode{v})
			case *ast.SequenceNode:
			default:
				if p != "name" && p != "description" {
					out = append(out, p)
				}
			}
		}
	}
	walk("", root)
	sort.Strings(out)
	return out, nil
}

// Set returns a copy of the scenario file data with the scalar at path (a
// dotted path, see [Paths]) replaced by value, the rest of the text left
// as it is, so that [Load] checks the new value, and reports any problem
// at its place, like any other. value is a number, a duration (30s, 4h,
// 2d) or a word (unlimited); a path that names no scalar of the file is an
// error listing those that do.
func Set(data []byte, path, value string) ([]byte, error) {
	if value == "" || strings.IndexFunc(value, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".+-_", r))
	}) >= 0 {
		return nil, fmt.Errorf("scenarios: %s=%q: want a number, a duration (such as 30s, 4h or 2d) or a word (such as unlimited)", path, value)
	}
	root, err := rootMapping(data)
	if err != nil {
		return nil, err
	}
	pairs := root
	var node ast.Node
	parts := strings.Split(path, ".")
	for i, part := range parts {
		var found *ast.MappingValueNode
		for _, kv := range pairs {
			if keyText(kv) == part {
				found = kv
				break
			}
		}
		if found == nil {
			return nil, badPath(data, path)
		}
		if i == len(parts)-1 {
			node = found.Value
			break
		}
		switch v := found.Value.(type) {
		case *ast.MappingNode:
			pairs = v.Values
		case *ast.MappingValueNode:
			pairs = []*ast.MappingValueNode{v}
		default:
			return nil, badPath(data, path)
		}
	}
	switch node.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, nil:
		return nil, badPath(data, path)
	}
	if path == "name" || path == "description" {
		return nil, badPath(data, path)
	}
	tk := node.GetToken()
	if tk == nil {
		return nil, badPath(data, path)
	}
	off := offset(data, tk.Position.Line, tk.Position.Column)
	if off < 0 {
		return nil, fmt.Errorf("scenarios: %s: cannot find its value in the text", path)
	}
	end := -1
	rest := data[off:]
	switch {
	case len(rest) > 0 && (rest[0] == '"' || rest[0] == '\''):
		if j := bytes.IndexByte(rest[1:], rest[0]); j >= 0 {
			end = off + j + 2
		}
	case bytes.HasPrefix(rest, []byte(tk.Value)):
		end = off + len(tk.Value)
	}
	if end < 0 {
		return nil, fmt.Errorf("scenarios: %s: cannot find its value in the text", path)
	}
	out := make([]byte, 0, len(data)+len(value))
	out = append(out, data[:off]...)
	out = append(out, value...)
	out = append(out, data[end:]...)
	return out, nil
}

func badPath(data []byte, path string) error {
	valid, _ := Paths(data)
	return fmt.Errorf("scenarios: no value at %q in the scenario; want one of %s", path, strings.Join(valid, ", "))
}

func rootMapping(data []byte) ([]*ast.MappingValueNode, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, fmt.Errorf("scenarios: the scenario is empty")
	}
	switch v := f.Docs[0].Body.(type) {
	case *ast.MappingNode:
		return v.Values, nil
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, nil
	}
	return nil, fmt.Errorf("scenarios: the scenario is not a mapping")
}

func keyText(kv *ast.MappingValueNode) string {
	if kv.Key == nil {
		return ""
	}
	return strings.Trim(kv.Key.String(), `"'`)
}

// offset returns the byte offset of a 1-based line and column, or -1.
func offset(data []byte, line, col int) int {
	l, i := 1, 0
	for l < line {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
		l++
	}
	off := i + col - 1
	if col < 1 || off > len(data) {
		return -1
	}
	return off
}
