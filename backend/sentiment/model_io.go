package sentiment

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// The file format is gzip over: magic, [format 2 and 3: the provenance as
// JSON, preceded by its length (uvarint)], bits (1 byte), scale (float32),
// numClasses biases (float32), the count of non-zero buckets (uvarint), then
// per bucket the gap to the previous bucket (uvarint) and numClasses int8
// weights. int8 with one global scale keeps the shipped file near 1 MB; the
// accuracy cost is measured by evaluating the quantized model itself.
//
// Format 3 is format 2 for a model whose feature version is not 1: builds
// from before feature versions read format 2 and would ignore the version
// field, scoring with version-1 features; they refuse format 3 instead.
// Version-1 models are still written as format 2, so older builds keep
// reading them.
var (
	magic  = []byte("STORMDESK-SENTIMENT-2\n")
	magic1 = []byte("STORMDESK-SENTIMENT-1\n")
	magic3 = []byte("STORMDESK-SENTIMENT-3\n")
)

// maxProvenance bounds the JSON a file may claim, so a damaged length cannot
// make Load allocate gigabytes.
const maxProvenance = 1 << 20

const qLevels = 127

// quantize snaps the weights to the int8 grid Save writes, so a model behaves
// the same before and after a Save/Load round trip.
func (m *Model) quantize() {
	scale := m.scale()
	if scale == 0 {
		return
	}
	for i, w := range m.w {
		m.w[i] = float32(math.Round(float64(w/scale))) * scale
	}
}

func (m *Model) scale() float32 {
	var mx float32
	for _, w := range m.w {
		if a := float32(math.Abs(float64(w))); a > mx {
			mx = a
		}
	}
	return mx / qLevels
}

// Save writes m in the compact format Load reads.
func (m *Model) Save(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("save sentiment model: %w", err)
	}
	bw := bufio.NewWriter(zw)
	scale := m.scale()
	if m.featureVersion() == FeaturesV1 {
		bw.Write(magic)
	} else {
		bw.Write(magic3)
	}
	info, err := json.Marshal(m.Provenance())
	if err != nil {
		return fmt.Errorf("save sentiment model: provenance: %w", err)
	}
	var lb [binary.MaxVarintLen64]byte
	bw.Write(lb[:binary.PutUvarint(lb[:], uint64(len(info)))])
	bw.Write(info)
	bw.WriteByte(byte(m.bits))
	binary.Write(bw, binary.LittleEndian, scale)
	binary.Write(bw, binary.LittleEndian, m.bias)
	q := func(x float32) int8 {
		if scale == 0 {
			return 0
		}
		return int8(max(-qLevels, min(qLevels, math.Round(float64(x/scale)))))
	}
	var nz uint64
	buckets := len(m.w) / numClasses
	for b := 0; b < buckets; b++ {
		if q(m.w[b*numClasses]) != 0 || q(m.w[b*numClasses+1]) != 0 || q(m.w[b*numClasses+2]) != 0 {
			nz++
		}
	}
	var vb [binary.MaxVarintLen64]byte
	bw.Write(vb[:binary.PutUvarint(vb[:], nz)])
	last := -1
	for b := 0; b < buckets; b++ {
		a, c, d := q(m.w[b*numClasses]), q(m.w[b*numClasses+1]), q(m.w[b*numClasses+2])
		if a == 0 && c == 0 && d == 0 {
			continue
		}
		bw.Write(vb[:binary.PutUvarint(vb[:], uint64(b-last))])
		bw.Write([]byte{byte(a), byte(c), byte(d)})
		last = b
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("save sentiment model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("save sentiment model: %w", err)
	}
	return nil
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	m, err := load(r)
	if err != nil {
		return nil, fmt.Errorf("load sentiment model: %w", err)
	}
	return m, nil
}

func load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	info := unknownProvenance
	features := FeaturesV1
	switch string(head) {
	case string(magic), string(magic3):
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("provenance length: %w", err)
		}
		if n > maxProvenance {
			return nil, fmt.Errorf("provenance of %d bytes", n)
		}
		raw := make([]byte, n)
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, fmt.Errorf("provenance: %w", err)
		}
		info = Provenance{}
		if err := json.Unmarshal(raw, &info); err != nil {
			return nil, fmt.Errorf("provenance: %w", err)
		}
		switch {
		case info.Features != 0:
			features = info.Features
		case string(head) == string(magic3):
			return nil, errors.New("format 3 without a feature version")
		}
		if err := checkFeatures(features); err != nil {
			return nil, err
		}
	case string(magic1):
	default:
		return nil, errors.New("not a Stormdesk sentiment model")
	}
	bits, err := br.ReadByte()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if bits < 10 || bits > 24 {
		return nil, fmt.Errorf("bits %d outside 10..24", bits)
	}
	m := newModel(int(bits))
	var scale float32
	if err := binary.Read(br, binary.LittleEndian, &scale); err != nil {
		return nil, fmt.Errorf("scale: %w", err)
	}
	if err := binary.Read(br, binary.LittleEndian, &m.bias); err != nil {
		return nil, fmt.Errorf("bias: %w", err)
	}
	nz, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("bucket count: %w", err)
	}
	buckets := uint64(len(m.w) / numClasses)
	if nz > buckets {
		return nil, fmt.Errorf("%d buckets in a %d-bucket model", nz, buckets)
	}
	b := int64(-1)
	var q [numClasses]byte
	for i := uint64(0); i < nz; i++ {
		gap, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("bucket %d: %w", i, err)
		}
		b += int64(gap)
		if gap == 0 || uint64(b) >= buckets {
			return nil, fmt.Errorf("bucket %d: index out of range", i)
		}
		if _, err := io.ReadFull(br, q[:]); err != nil {
			return nil, fmt.Errorf("bucket %d: %w", i, err)
		}
		for c := range q {
			m.w[int(b)*numClasses+c] = float32(int8(q[c])) * scale
		}
	}
	m.opts = TrainOptions{Bits: int(bits), Features: features}.withDefaults()
	m.info = info
	m.info.Features = features
	return m, nil
}
