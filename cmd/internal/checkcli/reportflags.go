package checkcli

import "flag"

// registerReportFlags adds the flags of the report files beside -junit.
func registerReportFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.html, "html", "", "also write a self-contained HTML report `file`: verdict, properties, coverage, findings,\nand the diagram with each counterexample as a stepper (not with -docs)")
}
