package model

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// YAMLLimits bounds what [ParseYAML] accepts, so that a hostile file fails
// fast instead of taking minutes or gigabytes. A zero field means the
// default of [DefaultYAMLLimits].
type YAMLLimits struct {
	// MaxBytes is the largest file, checked before anything is parsed.
	MaxBytes int
	// MaxDepth is the deepest nesting of mappings and lists, block and
	// flow style together.
	MaxDepth int
	// MaxKeys is the most keys of one block-style mapping.
	MaxKeys int
	// MaxNodes is the largest number of values the document holds once
	// every alias is expanded: an alias counts as the whole value of its
	// anchor, so that a few kilobytes of nested aliases (an "alias bomb")
	// are refused before they are expanded.
	MaxNodes int
	// MaxItems bounds the number of entries of a top-level field: a key of
	// the root mapping (such as "statuses") to the largest number of list
	// items or mapping entries it may hold. The count is checked on the
	// syntax tree, before the file is decoded.
	MaxItems map[string]int
	// What names the content in messages, such as "spec" or "scenario".
	What string
}

// DefaultYAMLLimits are the bounds used for a zero field of [YAMLLimits]:
// far above any real spec or scenario (the embedded spec is 16 KB, about
// 2,000 values, 7 levels deep, 20 keys in a mapping; a spec with the most
// statuses and operations allowed would be about 60 KB), and small enough
// that the parse of the worst file takes a fraction of a second (the YAML
// parser needs about a microsecond a byte).
var DefaultYAMLLimits = YAMLLimits{
	MaxBytes: 256 << 10,
	MaxDepth: 64,
	MaxKeys:  1000,
	MaxNodes: 200_000,
	What:     "file",
}

// utf8BOM is the UTF-8 byte-order mark some editors put at the start of a
// file; YAML allows it.
var utf8BOM = []byte("\xef\xbb\xbf")

// ParseYAML is the one entry point of every YAML file evsim reads: it
// checks data against lim before and while parsing, and returns the data
// to decode (without its byte-order mark, if it had one) and its syntax
// tree. file names the input in errors. Each problem comes back as an
// [ErrorList] of one [*Error] at the line and column at fault.
//
// The work is linear in the size of data: the size is checked first, the
// nesting depth on the tokens (the parser takes quadratic time on deep
// nesting), and the expanded size of aliases on the syntax tree, each
// anchor's size computed once.
func ParseYAML(file string, data []byte, lim YAMLLimits) ([]byte, *ast.File, error) {
	lim = lim.withDefaults()
	fail := func(line, col int, format string, args ...any) ([]byte, *ast.File, error) {
		return nil, nil, ErrorList{{File: file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}}
	}
	failAt := func(field string, tk *token.Token, format string, args ...any) ([]byte, *ast.File, error) {
		return nil, nil, ErrorList{{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Field: field, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > lim.MaxBytes {
		return fail(0, 0, "the %s is %s; at most %s is allowed", lim.What, formatBytes(int64(len(data))), formatBytes(int64(lim.MaxBytes)))
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if line, col, deep := bracketDepth(data, lim.MaxDepth); deep {
		return fail(line, col, "nested more than %d levels deep; at most %d levels of mappings and lists are allowed", lim.MaxDepth, lim.MaxDepth)
	}
	tokens := lexer.Tokenize(string(data))
	if sh := checkShape(tokens, lim.MaxDepth, lim.MaxKeys); sh != nil {
		at := sh.tk.Position
		if sh.deep {
			return fail(at.Line, at.Column, "nested more than %d levels deep; at most %d levels of mappings and lists are allowed", lim.MaxDepth, lim.MaxDepth)
		}
		return fail(at.Line, at.Column, "key %q: more than %d keys in one mapping; at most %d are allowed", sh.tk.Value, lim.MaxKeys, lim.MaxKeys)
	}
	f, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, nil, err
	}
	c := nodeCounter{anchors: map[string]int{}, max: lim.MaxNodes}
	for _, doc := range f.Docs {
		c.size(doc)
		if c.over != nil {
			tk := c.over.GetToken()
			return fail(tk.Position.Line, tk.Position.Column, "the %s expands to more than %d values (aliases count as the whole value of their anchor); at most %d are allowed", lim.What, lim.MaxNodes, lim.MaxNodes)
		}
	}
	if len(f.Docs) > 0 {
		for key, most := range lim.MaxItems {
			if n := itemAfter(f.Docs[0].Body, key, most); n != nil {
				return failAt(key, n.GetToken(), "more than %d entries; at most %d are allowed", most, most)
			}
		}
	}
	return data, f, nil
}

func (lim YAMLLimits) withDefaults() YAMLLimits {
	d := DefaultYAMLLimits
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = d.MaxBytes
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = d.MaxDepth
	}
	if lim.MaxKeys <= 0 {
		lim.MaxKeys = d.MaxKeys
	}
	if lim.MaxNodes <= 0 {
		lim.MaxNodes = d.MaxNodes
	}
	if lim.What == "" {
		lim.What = d.What
	}
	return lim
}

// bracketDepth is a fast first look for deep flow nesting, which the
// lexer takes about a microsecond a byte to tokenize: it counts the open
// brackets and braces of data, skipping comments and quoted strings, and
// returns the line and column of the first bracket deeper than max.
// Balanced brackets in plain text are harmless; only a file with more
// than max unclosed brackets is refused here, and the token pass of
// [checkShape] decides everything else exactly.
func bracketDepth(data []byte, max int) (line, col int, deep bool) {
	depth := 0
	line, start := 1, 0
	prev := byte('\n')
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '\n':
			line, start = line+1, i+1
		case c == '#' && isSpaceOrStart(prev):
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i--
			c = ' '
		case (c == '\'' || c == '"') && (isSpaceOrStart(prev) || prev == '[' || prev == '{' || prev == ',' || prev == ':'):
			q := c
			for i++; i < len(data); i++ {
				if data[i] == '\n' {
					line, start = line+1, i+1
				}
				if q == '"' && data[i] == '\\' {
					i++
					continue
				}
				if data[i] == q {
					break
				}
			}
		case c == '[' || c == '{':
			if depth++; depth > max {
				return line, i - start + 1, true
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		}
		prev = c
	}
	return 0, 0, false
}

func isSpaceOrStart(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

// A shape is what the token pass finds wrong: nesting deeper than the
// limit, or a block mapping with more keys than the parser handles in
// linear time (it takes time quadratic in the keys of one block mapping).
type shape struct {
	tk   *token.Token
	deep bool // else too many keys
}

// checkShape returns the first token nested deeper than maxDepth, or the
// first key past maxKeys of one block mapping, or nil. Flow collections
// count their brackets; block collections count the distinct columns of
// the list dashes and mapping keys that enclose a token. It is linear in
// the number of tokens.
func checkShape(tokens token.Tokens, maxDepth, maxKeys int) *shape {
	type level struct{ col, keys int }
	flow := 0
	var block []level // the enclosing block collections, by column
	for i, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			if flow > 0 {
				flow--
			}
		case token.DocumentHeaderType, token.DocumentEndType:
			flow, block = 0, block[:0]
		default:
			if flow > 0 || tk.Position == nil {
				break
			}
			key := i+1 < len(tokens) && tokens[i+1].Type == token.MappingValueType
			if tk.Type != token.SequenceEntryType && !key {
				break
			}
			c := tk.Position.Column
			for len(block) > 0 && block[len(block)-1].col > c {
				block = block[:len(block)-1]
			}
			if len(block) == 0 || block[len(block)-1].col < c {
				block = append(block, level{col: c})
			}
			if key {
				top := &block[len(block)-1]
				if top.keys++; top.keys > maxKeys {
					return &shape{tk: tk}
				}
			}
		}
		if flow+len(block) > maxDepth {
			return &shape{tk: tk, deep: true}
		}
	}
	return nil
}

// nodeCounter counts the values of a document with every alias expanded,
// stopping at the first node that passes max.
type nodeCounter struct {
	anchors map[string]int // expanded size of each anchor's value
	total   int
	max     int
	over    ast.Node
}

// size is the number of values of n, aliases expanded; it adds the
// values it meets to c.total and records c.over when the total passes
// c.max (then the sizes returned no longer matter).
func (c *nodeCounter) size(n ast.Node) int {
	if n == nil || c.over != nil {
		return 0
	}
	add := func(k int) {
		c.total += k
		if c.total > c.max && c.over == nil {
			c.over = n
		}
	}
	switch v := n.(type) {
	case *ast.DocumentNode:
		return c.size(v.Body)
	case *ast.MappingNode:
		s := 1
		add(1)
		for _, mv := range v.Values {
			s += c.size(mv)
		}
		return s
	case *ast.MappingValueNode:
		return c.size(v.Key) + c.size(v.Value)
	case *ast.MappingKeyNode:
		return c.size(v.Value)
	case *ast.SequenceNode:
		s := 1
		add(1)
		for _, item := range v.Values {
			s += c.size(item)
		}
		return s
	case *ast.TagNode:
		return c.size(v.Value)
	case *ast.AnchorNode:
		s := c.size(v.Value)
		if v.Name != nil {
			c.anchors[v.Name.GetToken().Value] = s
		}
		return s
	case *ast.AliasNode:
		s := 1
		if v.Value != nil {
			if k, ok := c.anchors[v.Value.GetToken().Value]; ok {
				s = k
			}
		}
		add(s)
		return s
	case *ast.CommentGroupNode, *ast.CommentNode:
		return 0
	}
	add(1)
	return 1
}

// itemAfter returns the entry number most (counting from 0) of the list or
// mapping under key in the root mapping body, or nil if it has no more
// than most entries.
func itemAfter(body ast.Node, key string, most int) ast.Node {
	var pairs []*ast.MappingValueNode
	switch m := body.(type) {
	case *ast.MappingNode:
		pairs = m.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{m}
	}
	for _, kv := range pairs {
		if kv.Key == nil || kv.Key.String() != key {
			continue
		}
		v := kv.Value
		if a, ok := v.(*ast.AnchorNode); ok {
			v = a.Value
		}
		switch c := v.(type) {
		case *ast.SequenceNode:
			if len(c.Values) > most {
				return c.Values[most]
			}
		case *ast.MappingNode:
			if len(c.Values) > most {
				return c.Values[most]
			}
		}
	}
	return nil
}

// formatBytes renders a size for people: whole bytes below 1 KiB, else
// KiB, MiB or GiB with at most one decimal, dropped when it is zero
// ("1 KiB", "1.5 MiB", "4 GiB").
func formatBytes(n int64) string {
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	if n < 1024 && n > -1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	v := float64(n) / 1024
	u := 0
	for u < len(units)-1 && (v >= 1024 || v <= -1024) {
		v /= 1024
		u++
	}
	s := fmt.Sprintf("%.1f", v)
	s = trimZero(s)
	return s + " " + units[u]
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// specLimits bounds a spec file: the defaults, and the counts of statuses
// and operations checked before decoding.
var specLimits = YAMLLimits{
	What:     "spec",
	MaxItems: map[string]int{"statuses": MaxStatuses, "operations": MaxOps, "api_only": MaxStatuses},
}

// DecodeYAML decodes data and its syntax tree f, as returned by
// [ParseYAML], into v, refusing unknown fields and a fraction given to a
// whole-number field (which the YAML library would truncate without a
// word: 200.5 as 200). The YAML library panics on a few malformed inputs
// (found by fuzzing, such as an empty tag on a list field); such a panic
// becomes an [ErrorList] naming file rather than a crash.
func DecodeYAML(file string, data []byte, f *ast.File, v any) (err error) {
	if f != nil && len(f.Docs) > 0 {
		if n, field := fraction(f.Docs[0].Body, reflect.TypeOf(v), ""); n != nil {
			tk := n.GetToken()
			return ErrorList{{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Field: field,
				Msg: fmt.Sprintf("%s is not a whole number; want a whole number, such as %.0f", tk.Value, math.Floor(n.Value))}}
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = ErrorList{{File: file, Msg: fmt.Sprintf("the YAML decoder failed on this file (%v); look for an empty tag (!) or a malformed value", r)}}
		}
	}()
	if f == nil || len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return yaml.UnmarshalWithOptions(data, v, yaml.DisallowUnknownField())
	}
	// Decoding the tree already parsed, rather than data, halves the cost.
	return yaml.NodeToValue(f.Docs[0].Body, v, yaml.DisallowUnknownField())
}

// fraction returns the first number with a fractional part that n gives
// to a whole-number field of t (following struct fields by their yaml
// tags, pointers, lists and maps), with the field's path, or nil. Types
// that decode themselves are not entered.
func fraction(n ast.Node, t reflect.Type, path string) (*ast.FloatNode, string) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || t == nil || reflect.PointerTo(t).Implements(reflect.TypeFor[yaml.InterfaceUnmarshaler]()) {
		return nil, ""
	}
	switch v := n.(type) {
	case *ast.AnchorNode:
		return fraction(v.Value, t, path)
	case *ast.TagNode:
		return fraction(v.Value, t, path)
	case *ast.FloatNode:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if v.Value != math.Trunc(v.Value) {
				return v, path
			}
		}
	case *ast.SequenceNode:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, item := range v.Values {
				if f, p := fraction(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); f != nil {
					return f, p
				}
			}
		}
	case *ast.MappingNode:
		for _, kv := range v.Values {
			if f, p := fraction(kv, t, path); f != nil {
				return f, p
			}
		}
	case *ast.MappingValueNode:
		if v.Key == nil {
			return nil, ""
		}
		key := v.Key.String()
		at := key
		if path != "" {
			at = path + "." + key
		}
		switch t.Kind() {
		case reflect.Map:
			return fraction(v.Value, t.Elem(), at)
		case reflect.Struct:
			for i := range t.NumField() {
				sf := t.Field(i)
				name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
				if name == key {
					return fraction(v.Value, sf.Type, at)
				}
			}
		}
	}
	return nil, ""
}
