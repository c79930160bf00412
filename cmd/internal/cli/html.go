package cli

import (
	"bytes"
	"html/template"
	"regexp"
)

// HTMLStyle is the style sheet the HTML reports share: inline, so that a
// report is one file with nothing to fetch.
const HTMLStyle = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.meta td:first-child{color:#59636e;padding-left:0}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:700;color:#fff}
.holds,.agrees,.ok{background:#1a7f37}.violated,.differs{background:#cf222e}.incomplete,.unknown,.partial{background:#9a6700}
.pill{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;color:#fff}
.small{color:#59636e;font-size:12px}
figure{margin:8px 0;overflow:auto;border:1px solid #d0d7de;border-radius:6px;padding:8px}
figure svg{max-width:100%;height:auto}
.stepper{display:flex;gap:8px;align-items:center;margin:8px 0}
button{font:inherit;padding:3px 12px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
button:disabled{opacity:.45;cursor:default}
tr.current td{background:#ddf4ff}
.state{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;background:#f6f8fa;border-radius:6px;padding:6px 10px;white-space:pre-wrap}
g.edge.current path{stroke:#0969da!important;stroke-width:5px}
g.edge.current polygon{fill:#0969da!important;stroke:#0969da!important}
g.edge.current text{fill:#0969da!important;font-weight:700}
`

var svgProlog = regexp.MustCompile(`(?s)^.*?(<svg[\s>])`)

// InlineSVG makes an SVG document fit inside HTML: without its XML
// declaration, doctype and comments before the <svg> element.
func InlineSVG(svg []byte) template.HTML {
	return template.HTML(svgProlog.ReplaceAll(bytes.TrimSpace(svg), []byte("$1")))
}
