package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"strings"
	"sync"
	"sync/atomic"
)

// maxMACPools bounds the secrets whose HMAC states are kept for reuse; a process signing with more
// distinct secrets computes the others afresh.
const maxMACPools = 64

// macState is a reusable HMAC-SHA1 state with room for its sum, so that summing allocates nothing.
type macState struct {
	h   hash.Hash
	sum []byte
}

// macPools keeps, per V1 secret, HMAC-SHA1 states keyed with secret+"&" to reuse: a fresh state costs
// several allocations and hashes the key twice, on every request an emulator checks. Reset restores a used
// state to its keyed start, so a reused state signs exactly as a new one. The map is replaced, never
// changed, so a lookup takes no lock.
var (
	macPoolsMu sync.Mutex
	macPools   atomic.Pointer[map[string]*sync.Pool] // secret → pool of *macState
)

// macPool returns the pool of secret's states, or nil when maxMACPools secrets have one already.
func macPool(secret string) *sync.Pool {
	if m := macPools.Load(); m != nil {
		if p, ok := (*m)[secret]; ok {
			return p
		}
	}
	macPoolsMu.Lock()
	defer macPoolsMu.Unlock()
	var old map[string]*sync.Pool
	if m := macPools.Load(); m != nil {
		old = *m
	}
	if p, ok := old[secret]; ok {
		return p
	}
	if len(old) >= maxMACPools {
		return nil
	}
	key := []byte(secret + "&")
	p := &sync.Pool{New: func() any { return &macState{h: hmac.New(sha1.New, key), sum: make([]byte, 0, sha1.Size)} }}
	next := make(map[string]*sync.Pool, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[strings.Clone(secret)] = p // the key outlives the request it came with
	macPools.Store(&next)
	return p
}

// sigV1Len is the length of a V1 signature: base64 of a SHA-1 sum.
const sigV1Len = 28

// sumV1 returns base64(HMAC-SHA1(secret+"&", stringToSign)), the V1 signature (sdk-go-v1.md §2 step 6),
// computed with a reused state where it can.
func sumV1(stringToSign []byte, secret string) [sigV1Len]byte {
	p := macPool(secret)
	var st *macState
	if p != nil {
		st = p.Get().(*macState)
		st.h.Reset()
	} else {
		st = &macState{h: hmac.New(sha1.New, []byte(secret+"&"))}
	}
	st.h.Write(stringToSign)
	st.sum = st.h.Sum(st.sum[:0])
	var out [sigV1Len]byte
	base64.StdEncoding.Encode(out[:], st.sum)
	if p != nil {
		p.Put(st)
	}
	return out
}
