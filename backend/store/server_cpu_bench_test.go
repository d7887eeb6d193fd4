//go:build linux

package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/*/stat CPU times (100 on Linux).
const clockTicks = 100

// pgServerCPU is the CPU time PostgreSQL's processes have used so far: the
// postmaster's own and its reaped children's, plus every live child's. On
// PostgreSQL the store's work runs in those processes, which processCPU (the
// Go process) does not see. 0 on SQLite or when /proc cannot tell.
func pgServerCPU(tb testing.TB, s *Store) time.Duration {
	if !s.d.pg {
		return 0
	}
	var dir string
	if err := s.db.QueryRowContext(context.Background(), `SHOW data_directory`).Scan(&dir); err != nil {
		tb.Logf("server CPU: %v", err)
		return 0
	}
	pidFile, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		tb.Logf("server CPU: %v", err)
		return 0
	}
	pm := strings.TrimSpace(strings.SplitN(string(pidFile), "\n", 2)[0])
	ticks := procTicks(pm, true)
	procs, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range procs {
		f := statFields(p)
		if len(f) > 13 && f[1] == pm { // field 4 (ppid), counted after the command
			ticks += procTicks(filepath.Base(filepath.Dir(p)), false)
		}
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// statFields are the fields of /proc/PID/stat after "(comm)", from the state on.
func statFields(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// procTicks is a process's utime+stime, with its reaped children's when children is set.
func procTicks(pid string, children bool) int64 {
	f := statFields("/proc/" + pid + "/stat")
	if len(f) < 15 {
		return 0
	}
	n := 2
	if children {
		n = 4
	}
	var sum int64
	for _, v := range f[11 : 11+n] { // utime, stime, cutime, cstime: fields 14..17
		x, _ := strconv.ParseInt(v, 10, 64)
		sum += x
	}
	return sum
}

func init() { serverCPU = pgServerCPU }
