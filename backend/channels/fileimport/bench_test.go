package fileimport

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// peakRSSMB returns the process's peak resident set (VmHWM) in MB, or false
// where /proc is not there.
func peakRSSMB() (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

// resetPeakRSS makes VmHWM start again from the current resident set (Linux
// 4.0+), so that the peak measured is this benchmark's and not the test
// binary's so far. Where it is not allowed the peak covers the whole process,
// which can only overstate it.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// BenchmarkImportHugeField imports a generated CSV with one 200 MB quoted
// field between good rows; the input is generated as it is read, so the peak
// resident set is the reader's (and the test binary's). peak-heap-MB is the
// largest live heap seen while reading. Target: peak-MB <= 100.
func BenchmarkImportHugeField(b *testing.B) {
	const size = 200 << 20
	m := Mapping{ID: "id", Text: "text", Account: "account"}
	// Memory the runtime kept from earlier benchmark runs would count as
	// resident when the peak is reset.
	debug.FreeOSMemory()
	resetPeakRSS()
	b.SetBytes(size)
	var heapPeak uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stored := 0
		in := &heapPeakReader{r: hugeFieldCSV(size, false)}
		rep, err := ReadCSV(context.Background(), in, m, func(Row) error { stored++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		if stored != 4 || rep.Rejected != 1 || rep.Errors[0].Line != 3 {
			b.Fatalf("stored %d, errors %+v; want 4 rows and line 3 rejected", stored, rep.Errors)
		}
		heapPeak = max(heapPeak, in.peak)
	}
	b.StopTimer()
	runtime.GC()
	if mb, ok := peakRSSMB(); ok {
		b.ReportMetric(mb, "peak-MB")
	}
	b.ReportMetric(float64(heapPeak)/(1<<20), "peak-heap-MB")
}

// BenchmarkReadCSV reads 100,000 ordinary rows, a tenth of them with a quoted
// field over two lines, to watch the cost of the record splitter.
func BenchmarkReadCSV(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("id,account,time,text\n")
	for i := range 100_000 {
		in.WriteString(strconv.Itoa(i))
		in.WriteString(",acct,2024-03-01 10:00:00,")
		if i%10 == 0 {
			in.WriteString("\"a longer text, with a comma\nand a second line\"\n")
		} else {
			in.WriteString("a short text of a few words like a tweet about a late flight\n")
		}
	}
	m := Mapping{ID: "id", Text: "text", Time: "time", Account: "account"}
	b.SetBytes(int64(in.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := ReadCSV(context.Background(), bytes.NewReader(in.Bytes()), m, func(Row) error { return nil })
		if err != nil || rep.Accepted != 100_000 {
			b.Fatalf("accepted %d: %v", rep.Accepted, err)
		}
	}
}
