package sim_test

import (
	"fmt"

	"github.com/evsim/evsim/model"
	"github.com/evsim/evsim/sim"
)

// A DiskEngine takes the model's steps one at a time and refuses what the
// model refuses: here, deleting a disk that is attached.
func ExampleDiskEngine() {
	spec := model.Default()
	eng, err := sim.NewDiskEngine(spec, model.Config{
		Disks:   []model.DiskConfig{{Size: 10}},
		Servers: 1,
	})
	if err != nil {
		panic(err)
	}
	op := func(name string) model.OpID { id, _ := spec.OpByName(name); return id }
	show := func() { fmt.Println(spec.StatusName(eng.Status(0)), eng.Attached(0), eng.Size(0)) }

	_ = eng.Start(0, op("create"), model.NoArg)
	show()
	_ = eng.Succeed(0)
	show()
	_ = eng.Start(0, op("attach"), 0)
	_ = eng.Succeed(0)
	show()
	fmt.Println(eng.Start(0, op("delete"), model.NoArg))
	_ = eng.Start(0, op("expand"), model.NoArg)
	_ = eng.Succeed(0)
	show()
	// Output:
	// Creating 0 10
	// Available 0 10
	// In-use 1 10
	// sim: start delete on disk 0: rejected by the model
	// In-use 1 11
}
