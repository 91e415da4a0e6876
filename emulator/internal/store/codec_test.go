package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValueRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  Record
	}{
		{"every field", fullRecord()},
		{"zero record", Record{}},
		{"empty desc normalises to nil", Record{ProductId: "p", PicName: "x", Desc: []byte{}}},
		{"pre-epoch time", Record{ProductId: "p", PicName: "x", Added: time.Date(1601, 1, 1, 0, 0, 0, 1, time.UTC)}},
		{"long strings", Record{
			ProductId:     strings.Repeat("é", 256),
			CustomContent: strings.Repeat("\x00", 4096),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := normalized(tt.rec)
			got, err := decodeValue(keyOf(want), encodeValue(want))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round trip\n got: %+v\nwant: %+v", got, want)
			}
		})
	}
}

func TestValueIsCompact(t *testing.T) {
	r := Record{ProductId: "p00001", PicName: "1.jpg", Desc: descFor(1, 400), Added: time.Now()}
	// Two values per 4 KiB page needs well under 2 KiB; overhead beyond Desc should be a few dozen bytes.
	if n := len(encodeValue(normalized(r))); n > 440 {
		t.Fatalf("encoded value is %d bytes, want <= 440", n)
	}
}

func TestDecodeValueRejectsCorruption(t *testing.T) {
	good := encodeValue(normalized(fullRecord()))
	tests := []struct {
		name  string
		value []byte
	}{
		{"empty", nil},
		{"unknown version", append([]byte{99}, good[1:]...)},
		{"truncated", good[:len(good)/2]},
		{"trailing bytes", append(bytes.Clone(good), 0)},
		{"int32 overflow", binary.AppendVarint([]byte{valueVersion}, 1<<40)},
		{"string longer than value", binary.AppendUvarint([]byte{valueVersion, 0}, 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeValue(Key{}, tt.value); !errors.Is(err, errCorrupt) {
				t.Fatalf("decodeValue error = %v, want errCorrupt", err)
			}
		})
	}
}

func TestKeyEncoding(t *testing.T) {
	keys := []Key{{"a", "bc"}, {"ab", "c"}, {"abc", ""}, {"", "abc"}, {"", ""}, {"商品", "图"}}
	seen := map[string]Key{}
	for _, k := range keys {
		enc := encodeKey(k)
		if prev, dup := seen[string(enc)]; dup {
			t.Fatalf("%v and %v encode alike", prev, k)
		}
		seen[string(enc)] = k
		got, err := decodeKey(enc)
		if err != nil || got != k {
			t.Fatalf("decodeKey(encodeKey(%v)) = %v, %v", k, got, err)
		}
	}
}

func TestDecodeKeyRejectsCorruption(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
	}{
		{"empty", nil},
		{"prefix beyond key", []byte{5, 'a'}},
		{"non-canonical prefix", []byte{0x81, 0x00, 'a'}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeKey(tt.key); !errors.Is(err, errCorrupt) {
				t.Fatalf("decodeKey error = %v, want errCorrupt", err)
			}
		})
	}
}

// FuzzDecodeValue checks that arbitrary bytes never panic and that whatever decodes re-encodes stably.
func FuzzDecodeValue(f *testing.F) {
	f.Add(encodeValue(normalized(fullRecord())))
	f.Add(encodeValue(normalized(Record{})))
	f.Add([]byte{valueVersion, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeValue(Key{"p", "x"}, b)
		if err != nil {
			return
		}
		again, err := decodeValue(Key{"p", "x"}, encodeValue(r))
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("re-encode of %+v: %+v, %v", r, again, err)
		}
	})
}

// FuzzKey checks that every key survives encoding.
func FuzzKey(f *testing.F) {
	f.Add("a", "bc")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, product, pic string) {
		k := Key{product, pic}
		if got, err := decodeKey(encodeKey(k)); err != nil || got != k {
			t.Fatalf("key %q: got %q, %v", k, got, err)
		}
	})
}
