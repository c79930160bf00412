package table1_test

import (
	"fmt"

	"github.com/evsim/evsim/diagram/table1"
	"github.com/evsim/evsim/model"
)

// A page whose Error row lists an operation the model does not allow there,
// and which lacks most statuses.
func ExampleCompare() {
	page := `.. table:: **Table 1** Disk status details

   +-----------------+-----------------------------------------------------+-------------------+
   | EVS Disk Status | Status Description                                  | Allowed Operation |
   +=================+=====================================================+===================+
   | Error           | An error occurs when you try to create an EVS disk. | -  Deleting       |
   |                 |                                                     | -  Attaching      |
   +-----------------+-----------------------------------------------------+-------------------+
`
	tb, err := table1.Parse("page.rst", []byte(page))
	if err != nil {
		fmt.Println(err)
		return
	}
	diffs := table1.Compare(tb, model.Default().Table1())
	fmt.Println(diffs[0])
	fmt.Println(len(diffs)-1, "statuses missing, such as", diffs[1].Status)
	// Output:
	// page.rst:7:81: Error: allowed operation extra: the page has "Attaching", the model does not
	// 16 statuses missing, such as In-use
}
