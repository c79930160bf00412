package render

import (
	"fmt"
	"strings"
	"sync"

	"github.com/go-fonts/liberation/liberationmonobold"
	"github.com/go-fonts/liberation/liberationmonobolditalic"
	"github.com/go-fonts/liberation/liberationmonoitalic"
	"github.com/go-fonts/liberation/liberationmonoregular"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansbolditalic"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifbolditalic"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
)

// Font families. Liberation Serif, Sans and Mono have the metrics of Times,
// Helvetica/Arial and Courier, the fonts Graphviz measures labels with.
const (
	serif = iota
	sans
	mono
)

// Font styles, as bits.
const (
	bold   = 1
	italic = 2
)

type lazyFont struct {
	ttf  []byte
	once sync.Once
	font *opentype.Font
	err  error
}

// fonts is indexed by family*4 + style bits.
var fonts = [12]lazyFont{
	{ttf: liberationserifregular.TTF},
	{ttf: liberationserifbold.TTF},
	{ttf: liberationserifitalic.TTF},
	{ttf: liberationserifbolditalic.TTF},
	{ttf: liberationsansregular.TTF},
	{ttf: liberationsansbold.TTF},
	{ttf: liberationsansitalic.TTF},
	{ttf: liberationsansbolditalic.TTF},
	{ttf: liberationmonoregular.TTF},
	{ttf: liberationmonobold.TTF},
	{ttf: liberationmonoitalic.TTF},
	{ttf: liberationmonobolditalic.TTF},
}

// fontFor picks the Liberation font standing in for a Graphviz font name
// (such as "Times-Roman", "Helvetica-Bold", "Courier" or "Arial Italic")
// with xdot font characteristics (bold 1, italic 2).
func fontFor(face string, chars int) (*opentype.Font, error) {
	name := strings.ToLower(face)
	family := serif
	switch {
	case containsAny(name, "courier", "mono", "consol", "menlo", "fixed"):
		family = mono
	case containsAny(name, "helvetica", "arial", "sans", "verdana", "tahoma", "geneva", "calibri"):
		family = sans
	}
	style := chars & (bold | italic)
	if containsAny(name, "bold", "black", "heavy") {
		style |= bold
	}
	if containsAny(name, "italic", "oblique") {
		style |= italic
	}
	lf := &fonts[family*4+style]
	lf.once.Do(func() {
		lf.font, lf.err = opentype.Parse(lf.ttf)
		if lf.err != nil {
			lf.err = fmt.Errorf("render: load font: %w", lf.err)
		}
	})
	return lf.font, lf.err
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// faceKey identifies a sized font face within one drawing.
type faceKey struct {
	font *opentype.Font
	size float64
}

// faceCache holds the faces of one drawing; faces are not safe for
// concurrent use, so each drawing has its own.
type faceCache map[faceKey]font.Face

func (c faceCache) face(f *opentype.Font, pixels float64) (font.Face, error) {
	k := faceKey{f, pixels}
	if fc, ok := c[k]; ok {
		return fc, nil
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pixels, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("render: font face: %w", err)
	}
	c[k] = fc
	return fc, nil
}

func (c faceCache) close() {
	for _, f := range c {
		f.Close()
	}
}
