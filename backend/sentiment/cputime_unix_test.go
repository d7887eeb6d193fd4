//go:build unix

package sentiment

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time of the process so far, so a
// benchmark on a shared, loaded machine can report CPU time per message
// next to wall-clock time.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
