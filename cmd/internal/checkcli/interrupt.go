package checkcli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interrupt is the context a check stops on: SIGINT (Ctrl-C) or SIGTERM
// (a CI job's timeout). The report of what was explored is then written,
// marked incomplete (stop: interrupted), and the exit status is 3. Tests
// replace it.
var interrupt = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
