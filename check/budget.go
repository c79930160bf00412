package check

// The memory budget. [Options.MaxMemory] bounds the whole process, not
// only the structures the checker counts: the runtime's own overhead,
// the garbage collector's headroom, the successor caches and the report
// need room too. The checker therefore keeps what it counts to
// [AccountedBytes] of the budget, and the command adds two guards beside
// it: a soft limit for the garbage collector (debug.SetMemoryLimit) under
// the budget, and a watch on the process's memory (runtime/metrics) that
// closes [Options.OverBudget] before the budget is reached.

// reserveBytes is the least memory left outside the counted structures:
// the runtime, the model, the caches of the workers.
const reserveBytes = 24 << 20

// AccountedBytes returns the part of a process budget of budget bytes the
// checker's counted structures may take: three quarters, leaving at least
// 24 MiB to the rest. For 0 (no bound) it returns 0; for a budget too
// small to leave anything, 1 (the search stops at once).
func AccountedBytes(budget int64) int64 {
	if budget <= 0 {
		return 0
	}
	reserve := max(budget/4, reserveBytes)
	if budget <= reserve {
		return 1
	}
	return budget - reserve
}

// closed reports whether ch is closed; a nil ch never is.
func closed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
