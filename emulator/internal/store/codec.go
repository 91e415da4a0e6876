package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// valueVersion is the first byte of every encoded value, so the layout can evolve without guessing.
const valueVersion byte = 1

// errCorrupt is wrapped by every decoding failure.
var errCorrupt = errors.New("corrupt record")

// encodeKey renders a key as uvarint(len(ProductId)) + ProductId + PicName. The length prefix keeps
// ("a","bc") and ("ab","c") apart; the PicName length is implied by the rest of the key.
func encodeKey(k Key) []byte {
	b := make([]byte, 0, binary.MaxVarintLen64+len(k.ProductId)+len(k.PicName))
	b = binary.AppendUvarint(b, uint64(len(k.ProductId)))
	b = append(b, k.ProductId...)
	return append(b, k.PicName...)
}

// decodeKey inverts encodeKey. It rejects non-canonical length prefixes so that one Key has exactly one
// stored form (otherwise a damaged file could hold the same Key twice).
func decodeKey(b []byte) (Key, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || w != uvarintLen(n) {
		return Key{}, fmt.Errorf("%w: bad key length prefix", errCorrupt)
	}
	rest := b[w:]
	if n > uint64(len(rest)) {
		return Key{}, fmt.Errorf("%w: key length prefix %d exceeds key", errCorrupt, n)
	}
	return Key{ProductId: string(rest[:n]), PicName: string(rest[n:])}, nil
}

// encodeValue renders everything but the key in a compact binary layout (varints and length-prefixed bytes):
// with a 400-byte descriptor a value is well under 2 KiB, so bbolt fits two or more per page.
func encodeValue(r *Record) []byte {
	size := 1 + 5*9 + 2*9 + len(r.Region) + len(r.CustomContent) + len(r.Desc) + 4*9
	for _, s := range r.StrAttr {
		size += len(s) + 9
	}
	b := make([]byte, 0, size)
	b = append(b, valueVersion)
	b = binary.AppendVarint(b, int64(r.CategoryId))
	b = appendString(b, r.Region)
	b = appendString(b, r.CustomContent)
	for _, v := range r.IntAttr {
		b = binary.AppendVarint(b, int64(v))
	}
	for _, s := range r.StrAttr {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Desc)))
	b = append(b, r.Desc...)
	b = binary.AppendVarint(b, r.Added.Unix())
	return binary.AppendUvarint(b, uint64(r.Added.Nanosecond()))
}

// decodeValue inverts encodeValue for the record stored under k. It copies everything out of b, which may
// be memory owned by the database.
func decodeValue(k Key, b []byte) (*Record, error) { return decodeRecord(k, b, true) }

// decodeRecord is decodeValue, leaving Desc nil unless withDesc: loading a catalogue skips the copy.
func decodeRecord(k Key, b []byte, withDesc bool) (*Record, error) {
	r, desc, err := decodeParts(k, b)
	if err == nil && withDesc {
		r.Desc = cloneDesc(desc)
	}
	return r, err
}

// decodeParts decodes the value b stored under k into a record without Desc and the stored descriptor,
// which aliases b.
func decodeParts(k Key, b []byte) (*Record, []byte, error) {
	if len(b) == 0 {
		return nil, nil, fmt.Errorf("%w: empty value", errCorrupt)
	}
	if b[0] != valueVersion {
		return nil, nil, fmt.Errorf("%w: unknown value version %d", errCorrupt, b[0])
	}
	d := decoder{b: b[1:]}
	r := &Record{ProductId: k.ProductId, PicName: k.PicName}
	r.CategoryId = d.int32()
	r.Region = d.string()
	r.CustomContent = d.string()
	for i := range r.IntAttr {
		r.IntAttr[i] = d.int32()
	}
	for i := range r.StrAttr {
		r.StrAttr[i] = d.string()
	}
	desc := d.bytes()
	sec, nsec := d.varint(), d.uvarint()
	if d.err == nil && nsec >= uint64(time.Second) {
		d.fail("nanoseconds %d out of range", nsec)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	r.Added = time.Unix(sec, int64(nsec)).UTC()
	return r, desc, nil
}

// appendString appends a length-prefixed string.
func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// uvarintLen is the canonical encoded length of n.
func uvarintLen(n uint64) int {
	var buf [binary.MaxVarintLen64]byte
	return binary.PutUvarint(buf[:], n)
}

// decoder reads the value layout; the first failure sticks and later reads return zero values, so callers
// check err once at the end.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{errCorrupt}, args...)...)
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, w := binary.Uvarint(d.b)
	if w <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.b = d.b[w:]
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, w := binary.Varint(d.b)
	if w <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.b = d.b[w:]
	return v
}

func (d *decoder) int32() int32 {
	v := d.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail("value %d does not fit int32", v)
		return 0
	}
	return int32(v)
}

// bytes returns a length-prefixed field without copying it.
func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail("field length %d exceeds remaining %d bytes", n, len(d.b))
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) string() string { return string(d.bytes()) }
