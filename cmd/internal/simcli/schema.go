package simcli

// reportSchemaVersion is the version of the JSON reports' shapes: the
// summary (docs/schemas/sim-summary.schema.json) and the sweep
// (docs/schemas/sim-sweep.schema.json). It goes up when a field is
// removed, renamed or changes meaning; new fields keep it.
const reportSchemaVersion = 1
