// Package sim will own the fleet-scale discrete-event simulation: disks that
// follow the model's transitions in virtual time, with operation rates,
// durations, failure rates, an operator team and a storage pool.
package sim
