// Command sim will run fleet-scale simulations of the disk status graph.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "sim: not implemented yet")
	os.Exit(2)
}
