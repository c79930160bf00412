package plots

import (
	"image/color"
	"math"
	"strconv"

	"github.com/evsim/evsim/diagram"
	"github.com/evsim/evsim/model"
)

// classOf returns the class named name, and false if none is.
func classOf(name string) (model.Class, bool) {
	for c := range diagram.ClassStyles {
		if model.Class(c).String() == name {
			return model.Class(c), true
		}
	}
	return 0, false
}

// hex parses "#rrggbb".
func hex(s string) color.RGBA {
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil || len(s) != 7 {
		panic("plots: bad colour " + s)
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// classColor is the colour of a class: the outline colour of its boxes in
// the status diagram.
func classColor(c model.Class) color.RGBA { return hex(diagram.ClassStyles[c].Color) }

// shade returns the k-th of n colours of a class: the class's hue turned
// by up to ±30 degrees (±6 per neighbour) across the n, lightness alternating, so that
// neighbours in a stack differ and all read as the class.
func shade(c model.Class, k, n int) color.RGBA {
	h, s, l := toHSL(classColor(c))
	if n > 1 {
		spread := min(60, 12*float64(n-1))
		h += (float64(k)/float64(n-1) - 0.5) * spread
		switch k % 3 {
		case 1:
			l = l + (1-l)*0.35
		case 2:
			l *= 0.75
		}
	}
	return fromHSL(math.Mod(h+360, 360), s, l)
}

func toHSL(c color.RGBA) (h, s, l float64) {
	r, g, b := float64(c.R)/255, float64(c.G)/255, float64(c.B)/255
	mx, mn := math.Max(r, math.Max(g, b)), math.Min(r, math.Min(g, b))
	l = (mx + mn) / 2
	if mx == mn {
		return 0, 0, l
	}
	d := mx - mn
	if l > 0.5 {
		s = d / (2 - mx - mn)
	} else {
		s = d / (mx + mn)
	}
	switch mx {
	case r:
		h = (g - b) / d
		if g < b {
			h += 6
		}
	case g:
		h = (b-r)/d + 2
	default:
		h = (r-g)/d + 4
	}
	return h * 60, s, l
}

func fromHSL(h, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	to := func(v float64) uint8 { return uint8(math.Round(math.Max(0, math.Min(1, v+m)) * 255)) }
	return color.RGBA{R: to(r), G: to(g), B: to(b), A: 0xff}
}

// distinct is the palette of the non-stable occupancy picture, whose
// bands are statuses of no particular order: Paul Tol's "muted" scheme,
// then colours of the Okabe-Ito scheme and Tol's others that stay apart
// from it. Any two of the 15 differ by a CIELAB distance of 12 or more for
// normal vision and for simulated protanopia and deuteranopia (the test
// checks it); the failed and parked statuses keep the order of the stack,
// not a hue of their class.
var distinct = []string{
	"#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499",
	"#E69F00", "#56B4E9", "#F0E442", "#DDDDDD", "#4477AA", "#CCBB44",
}

// distinctColor returns the colour of the k-th band of the non-stable
// picture; past the palette's end the colours come round again, far apart
// in the stack.
func distinctColor(k int) color.RGBA { return hex(distinct[k%len(distinct)]) }
