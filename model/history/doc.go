// Package history reads and writes the observed status history of a fleet
// of disks: what a storage team gets by polling the volume API on a timer,
// or from the cloud's volume notifications. It only parses the bytes it is
// handed and writes to the writer it is given; checking a history against
// the model is the job of package check/history, fitting a scenario to it
// that of package sim/fit.
//
// # Formats
//
// Polled observations ([Polled]): one row per observation of one disk, as
// CSV with a header line or as JSON Lines (one object a line). The fields
// are time (RFC 3339), disk (also disk_id, volume_id or id), status (the
// API code such as in-use or error_extending, or the console name such as
// "Expansion failed"), and optionally size (or size_gib, in GiB),
// attachments (a count, or in JSON the list of attachments), shared (or
// multiattach: true or false) and system (true or false).
//
// Volume notifications ([Notifications]): JSON Lines in the OpenStack
// notification shape, one notification a line:
//
//	{"event_type": "volume.attach.end", "timestamp": "2025-01-01 10:00:00.123456",
//	 "payload": {"volume_id": "...", "status": "in-use", "size": 10,
//	             "volume_attachment": [{"instance_uuid": "..."}]}}
//
// The timestamp is RFC 3339 or the OpenStack form without a zone (UTC). An
// oslo messaging envelope ({"oslo.message": "..."}) is unwrapped. The
// status comes from the payload; "deleted" and the event volume.delete.end
// mean the disk is gone ([model.Gone]). The attachments are counted from
// volume_attachment (or attachments); shared from multiattach.
//
// # Reading
//
// [NewReader] detects the format from the first line (a JSON object with
// event_type or payload is a notification, another JSON object a polled
// row, anything else the header of a CSV file) unless [Options.Format]
// names it. [Reader.Next] returns one [Observation] at a time, so a history
// of any length streams: the reader keeps only the disk ids it has seen
// and each disk's last time. Every row is checked: an unknown status, an
// unparsable time, a row earlier than the previous row of its disk, a
// missing field or a line longer than [Options.MaxLine] is an error at its
// file:line:col. With [Options.Lenient] such rows are skipped and counted
// by reason ([Reader.Skipped]), never silently. A reader refuses to read
// more than [Options.MaxBytes].
//
// # Writing
//
// [Writer] writes observations in either format (CSV, JSON Lines or
// notifications), the simulator's history included; what it writes reads
// back as the same observations.
package history
