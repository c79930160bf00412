// Command graph will draw the disk status diagram and regenerate Table 1.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "graph: not implemented yet")
	os.Exit(2)
}
