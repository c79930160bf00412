package checkcli

// reportSchemaVersion is the version of the JSON reports' shapes: the
// check report (docs/schemas/check-report.schema.json) and the -docs
// report (docs/schemas/check-docs-report.schema.json). It goes up when a
// field is removed, renamed or changes meaning; new fields keep it.
const reportSchemaVersion = 1
