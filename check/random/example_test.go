package random_test

import (
	"fmt"
	"os"

	"github.com/evsim/evsim/check/random"
	"github.com/evsim/evsim/model"
)

// A spec with a planted bug (detaching a disk's last attachment leaves it
// In-use): random sequences find it and shrink it to its story.
func ExampleRunner_Run() {
	data, err := os.ReadFile("../../model/testdata/mutants/detach-last-stays-in-use.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := model.Load("detach-last-stays-in-use.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	setup, _ := random.SetupByName("default")
	r, err := random.New(spec, setup, random.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	res := r.Run(nil)
	fmt.Println(res.Failure.ShrunkViolation.String())
	for _, a := range res.Failure.Shrunk {
		fmt.Println(" ", a)
	}
	// Output:
	// available-means-unattached: d0 is In-use with no attachment
	//   start create d0
	//   succeed create d0
	//   start attach d0 s0
	//   succeed attach d0
	//   start detach d0 s0
	//   succeed detach d0
}
