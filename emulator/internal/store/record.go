package store

import (
	"strings"
	"time"
)

// Record is one stored image's metadata (ref §3). Desc is the opaque compact visual descriptor (about 400 bytes),
// kept so the search index can be rebuilt after a restart; the store never interprets it. A catalogue with a
// directory keeps Desc in the file only: its Get, Scan and Keys hand out records with a nil Desc, and
// OpenLoading reads the descriptors back. Update keeps the stored Desc unless its fn sets one.
//
// Records handed out by the Catalog are copies, except that Desc shares the stored bytes: callers must treat
// Desc as read-only. Sharing it keeps a search's Scan over every record free of descriptor copies.
type Record struct {
	ProductId, PicName string
	CategoryId         int32
	Region             string
	CustomContent      string
	IntAttr            [4]int32
	StrAttr            [4]string
	Desc               []byte
	// Added is kept in UTC with nanosecond precision; Put fills it with the current time when it is zero.
	Added time.Time
}

// Key identifies one image of an instance: ProductId and PicName together are unique (ref §3, ref §2.3).
type Key struct{ ProductId, PicName string }

// Key returns the record's identity.
func (r Record) Key() Key { return Key{ProductId: r.ProductId, PicName: r.PicName} }

// CompareKeys orders keys by ProductId, then PicName, byte-wise: the order of Scan and Keys, and the
// tie-break between equal search scores.
func CompareKeys(a, b Key) int {
	if c := strings.Compare(a.ProductId, b.ProductId); c != 0 {
		return c
	}
	return strings.Compare(a.PicName, b.PicName)
}

// keyOf is Record.Key without copying the whole record.
func keyOf(r *Record) Key { return Key{ProductId: r.ProductId, PicName: r.PicName} }

// normalized returns the form in which r is stored, so that the in-memory copy equals what a reload decodes:
// Added in UTC without a monotonic reading, and Desc copied so the caller's buffer cannot alias the store
// (an empty Desc becomes nil).
func normalized(r Record) *Record {
	r.Added = normalTime(r.Added)
	r.Desc = cloneDesc(r.Desc)
	return &r
}

// normalTime is the exact value the codec reproduces for t.
func normalTime(t time.Time) time.Time {
	return time.Unix(t.Unix(), int64(t.Nanosecond())).UTC()
}

// cloneDesc copies a descriptor; nil and empty both become nil.
func cloneDesc(d []byte) []byte {
	if len(d) == 0 {
		return nil
	}
	out := make([]byte, len(d))
	copy(out, d)
	return out
}
