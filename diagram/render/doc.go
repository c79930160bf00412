// Package render turns a Graphviz DOT document into SVG and PNG pictures,
// in pure Go (no cgo, no system Graphviz).
//
// Layout is done by Graphviz's dot engine compiled to WebAssembly
// (github.com/goccy/go-graphviz). That library keeps one global WASM
// instance which must not be entered by two goroutines at once, so every
// call into it is serialised by a package-level lock. It also compiles its
// WASM when a binary importing it starts (up to a second the first time,
// then cached under the temporary directory), which is why this lives in
// its own package: only commands that draw pay for it.
//
// SVG is Graphviz's own SVG output.
//
// PNG is not taken from go-graphviz: its PNG renderer leaves shapes out and
// draws edges as black blobs. Instead Graphviz is asked for its layout in
// the "json" format, whose xdot drawing operations (ellipses, polygons,
// Bezier curves, text with font, colours and line styles, as Graphviz
// itself computed them for every node, edge, arrowhead and cluster) are
// replayed here onto a raster canvas with github.com/fogleman/gg, which
// go-graphviz already depends on. Text is set in the Liberation fonts,
// which have the same metrics as the Times, Helvetica and Courier fonts that
// Graphviz sizes its labels for, so labels fit their boxes. The result is
// deterministic: the same DOT gives the same PNG bytes.
package render
