//go:build linux

package store

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// clockThreadCPUTime is Linux's CLOCK_THREAD_CPUTIME_ID. Unlike getrusage,
// whose per-thread times are sampled at the scheduler tick, it is exact.
const clockThreadCPUTime = 3

// threadCPU is the CPU time the calling OS thread has used so far.
func threadCPU(b *testing.B) time.Duration {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		b.Fatal(errno)
	}
	return time.Duration(ts.Nano())
}

func init() {
	processCPU = func(tb testing.TB) time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			tb.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
}

// BenchmarkSearchCPU times stemmed searches on the query dataset twice: by
// the wall clock, as BenchmarkSearch does, and by the CPU time of the thread
// that runs them (SQLite runs on the caller's thread; the cache is warm, so
// a call waits for nothing but the CPU). On a machine shared with other
// work the wall clock measures the queue for the CPU; the CPU time is what
// the search itself costs, the wall time it takes on an otherwise idle core.
func BenchmarkSearchCPU(b *testing.B) {
	s := benchFixture.queryStore(b)
	ctx := context.Background()
	var maxID int64
	s.db.QueryRow(`SELECT max(id) FROM messages`).Scan(&maxID)
	queries := benchQueries(b, "word-en-common", "word-en-plural", "word-en", "word-ru", "word-ru-form", "word-de",
		"word-de-plural", "and-en", "and-ru", "and-de", "phrase-en", "prefix-en", "exclude-en")
	r := rand.New(rand.NewPCG(6, 6))
	for _, sq := range queries {
		b.Run(sq.name, func(b *testing.B) {
			// Each sub-benchmark runs on a goroutine of its own: pin that one.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			befores := []int64{0}
			for range 99 {
				befores = append(befores, maxID/10+r.Int64N(maxID-maxID/10))
			}
			var wall, cpu []time.Duration
			b.ResetTimer()
			for range b.N {
				for range 2 {
					for _, before := range befores {
						c0, w0 := threadCPU(b), time.Now()
						if _, err := s.Search(ctx, SearchQuery{Text: sq.text, BeforeID: before}); err != nil {
							b.Fatal(err)
						}
						wall = append(wall, time.Since(w0))
						cpu = append(cpu, threadCPU(b)-c0)
					}
				}
			}
			b.StopTimer()
			for _, m := range []struct {
				name string
				d    []time.Duration
			}{{"wall", wall}, {"cpu", cpu}} {
				slices.Sort(m.d)
				pct := func(p float64) float64 {
					return float64(m.d[max(int(math.Ceil(p*float64(len(m.d))))-1, 0)].Nanoseconds()) / 1e6
				}
				b.ReportMetric(pct(0.50), m.name+"-p50-ms")
				b.ReportMetric(pct(0.99), m.name+"-p99-ms")
			}
		})
	}
}
