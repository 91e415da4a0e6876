package signature

import (
	"crypto/hmac"
	"crypto/sha1"
	"hash"
	"sync"
	"sync/atomic"
)

// maxMACPools bounds the secrets whose HMAC states are kept for reuse; a process signing with more
// distinct secrets computes the others afresh.
const maxMACPools = 64

// macPools keeps, per V1 signing key (secret+"&"), HMAC-SHA1 states to reuse: a fresh state costs several
// allocations and hashes the key twice, on every request an emulator checks. Reset restores a used state to
// its keyed start, so a reused state signs exactly as a new one.
var (
	macPools    sync.Map // string → *sync.Pool of hash.Hash
	macPoolsLen atomic.Int32
)

// withMAC runs fn with an HMAC-SHA1 state keyed with key, fresh or reused.
func withMAC(key string, fn func(hash.Hash)) {
	p, ok := macPools.Load(key)
	if !ok {
		if macPoolsLen.Load() >= maxMACPools {
			fn(hmac.New(sha1.New, []byte(key)))
			return
		}
		var loaded bool
		p, loaded = macPools.LoadOrStore(key, &sync.Pool{New: func() any { return hmac.New(sha1.New, []byte(key)) }})
		if !loaded {
			macPoolsLen.Add(1)
		}
	}
	pool := p.(*sync.Pool)
	m := pool.Get().(hash.Hash)
	m.Reset()
	fn(m)
	pool.Put(m)
}
