package emulator

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/ratelimit"
)

// behaviour holds every value the operations read where the documents leave a choice (an open point or an
// implementation freedom) or where a mutant breaks the contract. The operations never ask which variant is
// on: they read these values, and the variant table (variants.go) is the only code that sets them. The
// defaults are the expected reading of every open point (contract.OpenPoints) and the simplest choice of
// every freedom.
type behaviour struct {
	// Validation (ref §2.1, §2.4).
	lengthOf   func(string) int           // the unit of every length limit
	keyLimit   int                        // longest ProductId and PicName
	fieldLimit map[string]int             // per field name, overrides contract.Field.MaxChars
	parseInt   func(string) (int32, bool) // reads IntAttr*
	missing    func(param string) contract.Error
	// updateByProduct says whether an UpdateImage without PicName updates every image of the product
	// under a profile; otherwise PicName is required (ref §9 #1).
	updateByProduct func(contract.Profile) bool
	// updateIgnores says which sent fields UpdateImage drops before validating them.
	updateIgnores func(contract.Field) bool

	// Writes (ref §2.3, §3).
	unsent        keepOrReset
	emptyString   clearOrIgnore
	missingUpdate missingAnswer
	replace       replaceMode

	// Reads (ref §5).
	resultsSee  view // the attributes search results show (CheckImageExists reads the image itself)
	filterSees  view // the attributes filters evaluate
	strAttrSlot int  // the slot whose value search results show as StrAttr
	head        func(returned, total int) head
	indexLag    time.Duration // how long an added image stays out of search results

	// Throttling (ref §1.10).
	limiter           ratelimit.Kind
	unthrottled       bool // admit everything, whatever the instance's limits
	throttleErr       contract.Error
	detailThrottleErr contract.Error
	lateAdmission     map[string]bool // operations applied first and only then refused when over the limit

	// Envelope and transport (ref §1.4).
	requestID     func() string
	errorRewrites []func(contract.Error) contract.Error // applied in order to every error written
	errorBody     func(errorBody) any
	extraField    string // name of an unknown field added to every JSON response; "" for none
	latencyMin    time.Duration
	latencyMax    time.Duration
	transient     float64 // fraction of calls other than UpdateImage answered 503
}

// keepOrReset is what UpdateImage does to an attribute it was not sent (ref §10 #3).
type keepOrReset int

const (
	unsentKeep  keepOrReset = iota // ref §2.3: only the sent fields change
	unsentReset                    // every unsent attribute becomes "" or 0
)

// clearOrIgnore is what UpdateImage does with a string attribute sent empty (ref §10 #3).
type clearOrIgnore int

const (
	emptyClears  clearOrIgnore = iota // an empty string is a value (ref §2.3)
	emptyIgnored                      // an empty string counts as not sent
)

// missingAnswer is UpdateImage's answer for an image that does not exist (ref §10 #2).
type missingAnswer int

const (
	missingError   missingAnswer = iota // 400 PicNotExist (ref §2.4)
	missingSuccess                      // the success body; nothing is created
	missingCreate                       // a violation: the image is created
)

// replaceMode is what AddImage does to an existing key (ref §3: last write wins).
type replaceMode int

const (
	replaceAll            replaceMode = iota // picture and attributes replaced
	replaceKeepAttributes                    // picture replaced, old attributes kept
	replaceKeepFirst                         // nothing replaced, success answered
)

// view names the version of an image a read uses.
type view int

const (
	viewCurrent      view = iota
	viewBeforeUpdate      // the image as it was before the updates since it was added
)

// defaultBehaviour is the expected reading of every open point and the simplest choice of every freedom.
func defaultBehaviour() *behaviour {
	return &behaviour{
		lengthOf:          utf8.RuneCountInString, // characters, as the documented limits count (ref §2.1)
		keyLimit:          contract.MaxKey,
		parseInt:          parseInt32,
		missing:           contract.Missing,
		updateByProduct:   func(p contract.Profile) bool { return !p.UpdatePicNameRequired() },
		updateIgnores:     func(contract.Field) bool { return false },
		head:              observedHead,
		limiter:           ratelimit.Sliding,
		throttleErr:       contract.DeniedRequest,
		detailThrottleErr: contract.DeniedRequestDetail,
		requestID:         uuidRequestID,
		errorBody:         func(b errorBody) any { return b },
	}
}

// maxChars is the length limit of a string field.
func (b *behaviour) maxChars(f contract.Field) int {
	if n, ok := b.fieldLimit[f.Name]; ok {
		return n
	}
	return f.MaxChars
}

// keepsStale reports whether some read uses the pre-update version, which must then be remembered.
func (b *behaviour) keepsStale() bool {
	return b.resultsSee == viewBeforeUpdate || b.filterSees == viewBeforeUpdate
}

// parseInt32 accepts an optionally signed decimal int32 (ref §2.1: IntAttr* are int32).
func parseInt32(v string) (int32, bool) {
	n, err := strconv.ParseInt(v, 10, 32)
	return int32(n), err == nil
}

// uuidRequestID returns an upper-case version-4 UUID, the shape of the service's RequestId (ref §2.2). A
// RequestId needs to be unique, not secret: math/rand/v2's per-thread generator gives its 122 random bits
// without the system call and the lock of crypto/rand that uuid.NewString costs on every request.
func uuidRequestID() string {
	const hexdigits = "0123456789ABCDEF"
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], rand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], rand.Uint64())
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	var out [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexdigits[c>>4], hexdigits[c&15]
		j += 2
	}
	return string(out[:])
}

// observedHead fills Head as live responses do: DocsReturn is the number of results returned and DocsFound
// the total number of hits. The documents say the reverse (ref §5.1, §9 #16), but two independent public
// captures of live SearchImageByPic responses show DocsReturn 10 with DocsFound 3,774 and DocsReturn 20
// with DocsFound 13,091: page sizes in DocsReturn, totals in DocsFound. Clients must not rely on either.
func observedHead(returned, total int) head {
	return head{DocsReturn: int32(returned), DocsFound: int32(total)}
}

// documentedHead fills Head as the documents describe it: DocsFound = returned, DocsReturn = total
// (ref §5.1, §9 #16, [D-ASK-PAGE]).
func documentedHead(returned, total int) head {
	return head{DocsFound: int32(returned), DocsReturn: int32(total)}
}
