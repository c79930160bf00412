package simcli

import "io"

func runFit(args []string, stdout, stderr io.Writer) int { return exitUsage }
