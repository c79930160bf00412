package random

import (
	"fmt"

	"github.com/evsim/evsim/model"
)

// Weights bias the choice of the next action. The enabled actions of a
// state are grouped by what they do: "start <operation>" for a start (for
// example "start attach"), and the kind alone for the others ("succeed",
// "fail", "bg-succeed", "bg-fail", "power-off", "power-on"). A group is
// drawn with probability proportional to its weight, then an action of the
// group uniformly, so that a disk attached to fifteen servers is not
// detached fifteen times more often than it is attached. A group missing
// from the map weighs [DefaultWeight]; a weight of zero or less keeps the
// group out unless nothing else is enabled.
type Weights map[string]int

// DefaultWeight is the weight of a group a [Weights] map does not name.
const DefaultWeight = 2

// weight returns the weight of the group key.
func (w Weights) weight(key string) int {
	if v, ok := w[key]; ok {
		return v
	}
	return DefaultWeight
}

// baseWeights favour completions over failures and long lives over
// deletion, so that a sequence of a few hundred steps reaches deep states.
func baseWeights() Weights {
	return Weights{
		"succeed":                  12,
		"fail":                     2,
		"bg-succeed":               4,
		"bg-fail":                  1,
		"power-off":                1,
		"power-on":                 3,
		"start create":             6,
		"start create_from_image":  3,
		"start create_from_backup": 2,
		"start attach":             6,
		"start detach":             2,
		"start expand":             4,
		"start delete":             1,
		"start force_delete":       2,
		"start reset_status":       3,
	}
}

// Setup is a named configuration for random sequences: the bounded system
// and the weights that drive it.
type Setup struct {
	Name    string
	Summary string
	Config  model.Config
	Weights Weights
}

// Setups returns the configurations random sequences run on, beyond the
// reach of exhaustive search, in a fixed order:
//
//   - default: the 2-disk, 2-server [model.DefaultConfig], small enough to
//     shrink a failure to a story of a few steps;
//   - shared16: 16 servers and a shared disk driven to its attachment
//     limit, beside a data disk at 32760 GiB, a system disk at 1020 GiB
//     and a second shared disk;
//   - shared17: the same with 17 servers, so that a spec letting a shared
//     disk take a 17th attachment is caught;
//   - eight-disks: 8 disks (shared, system and data, sizes at and near
//     their limits) on 4 servers with up to 3 snapshots and 2 backups each.
//
// Sizes are unbounded by the configuration (Bounds.SizeSteps 0): only the
// spec's own size limits stop an expansion.
func Setups() []Setup {
	fleet := func(servers int) model.Config {
		return model.Config{
			Disks: []model.DiskConfig{
				{Shared: true, Size: 10},
				{Size: 32760},
				{System: true, Size: 1020},
				{Shared: true, Size: 100},
			},
			Servers:  servers,
			Bounds:   model.Bounds{Snapshots: 3, Backups: 2},
			Operator: true,
			Power:    true,
		}
	}
	attachHeavy := baseWeights()
	attachHeavy["start attach"] = 16
	attachHeavy["start detach"] = 1
	attachHeavy["start delete"] = 0
	attachHeavy["power-off"] = 1
	attachHeavy["power-on"] = 4

	wide := baseWeights()
	wide["start expand"] = 6

	return []Setup{
		{
			Name:    "default",
			Summary: "2 disks (shared data 10 GiB, system 1023 GiB), 2 servers",
			Config:  model.DefaultConfig(),
			Weights: baseWeights(),
		},
		{
			Name:    "shared16",
			Summary: "4 disks (shared 10 GiB, data 32760 GiB, system 1020 GiB, shared 100 GiB), 16 servers",
			Config:  fleet(16),
			Weights: attachHeavy,
		},
		{
			Name:    "shared17",
			Summary: "the shared16 disks on 17 servers",
			Config:  fleet(17),
			Weights: attachHeavy,
		},
		{
			Name:    "eight-disks",
			Summary: "8 disks (2 shared, 3 system, 3 data, sizes up to their limits), 4 servers, 3 snapshots and 2 backups each",
			Config: model.Config{
				Disks: []model.DiskConfig{
					{Shared: true, Size: 10},
					{Shared: true, Size: 32766},
					{System: true, Size: 1020},
					{System: true, Size: 1024},
					{System: true, Size: 40},
					{Size: 32760},
					{Size: 32768},
					{Size: 1},
				},
				Servers:  4,
				Bounds:   model.Bounds{Snapshots: 3, Backups: 2},
				Operator: true,
				Power:    true,
			},
			Weights: wide,
		},
	}
}

// SetupByName returns the setup of [Setups] with the given name.
func SetupByName(name string) (Setup, error) {
	var names []string
	for _, s := range Setups() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Setup{}, fmt.Errorf("random: unknown setup %q; want one of %v", name, names)
}
