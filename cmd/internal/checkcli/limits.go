package checkcli

import (
	"fmt"

	"github.com/evsim/evsim/model"
)

// checkDiskSizes refuses a -disks size above the largest the spec allows
// for its kind of disk: such a disk breaks the size rule in its very
// first state, which is bad input, not a finding of the search.
func checkDiskSizes(disks []model.DiskConfig, lim model.Limits) error {
	for i, d := range disks {
		most, kind, field := lim.DataSize, "data", "data_size"
		if d.System {
			most, kind, field = lim.SystemSize, "system", "system_size"
		}
		if d.Size > most {
			return fmt.Errorf("-disks: disk %d: size %d GiB is above the largest a %s disk may have; want 1 to %d (the spec's limits.%s)", i+1, d.Size, kind, most, field)
		}
	}
	return nil
}
