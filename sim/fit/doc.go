// Package fit estimates the figures of a simulation scenario from an
// observed status history (read by package model/history) and writes them
// as a scenario that package scenarios loads as it is.
//
// # What it estimates
//
// A [Fitter] takes the observations one at a time ([Fitter.Observe]),
// keeping per disk only its current status, when it entered it and the
// operation under way; [Fit] drives it from a reader. Between two
// observations of a disk it follows the shortest path of the spec's edges
// ([model.Spec.Edges]), so that every status change is a start, an advance,
// a success or a failure of an operation. [Fitter.Result] then gives:
//
//   - rates: starts of each customer operation per disk-day spent where it
//     may start, counting only the ways whose conditions a history shows
//     (the kind of disk, attachments, size), with Garwood intervals; ways
//     that need servers stopped give the share of requests that find them
//     stopped instead;
//   - durations of each transitional status, or of every step of an
//     operation whose steps last differently from the same statuses under
//     other operations: exponential, lognormal and Weibull fitted by
//     maximum likelihood ([FitDurations], gonum's optimize.NelderMead and
//     distuv), the lowest AIC first, the mean with a 95% interval (exact
//     for the exponential, the delta method otherwise);
//   - failure probabilities with Wilson intervals ([Wilson]);
//   - per failed status, who took disks out (customer, operator, nobody),
//     with which operations and after how long;
//   - the fleet at the start, its sizes, and creations per day with their
//     mix of creating operations.
//
// # Censoring
//
// A duration is a [Sample]: exact in a change log or notifications,
// interval-censored when polls bracket the change (the status was entered
// between two polls and left between two others; a status no poll saw
// lasted between zero and the gap), right-censored when the status is
// still open at the end of the history. The likelihood takes each as
// such: the density, the probability of the interval, the survival. A
// disk that vanishes from the polls was deleted between its last poll and
// the next.
//
// # What a history cannot tell
//
// Operations that change no status (snapshots, backups), operations that
// make the same status changes (accepting or cancelling a transfer, told
// apart only by notifications), outcomes that end in the same status on
// success and failure with no visible effect (creating an image), the
// pool and the operator team's size. [Result.Scenario] writes those as
// assumptions and says so. Polls that are not much shorter than the
// statuses they watch miss changes, and what was not seen is attributed to
// the shortest path: those figures are biased, and the scenario marks
// them.
//
// # Memory
//
// The fitter keeps about 60 bytes per disk and at most
// [Options.Reservoir] duration samples per status (a uniform sample drawn
// with a fixed seed, so that the result does not depend on anything but
// the history), whatever the number of rows.
package fit
