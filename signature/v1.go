package signature

import (
	"crypto/hmac"
	"net/url"
	"strings"
	"sync"
	"time"
)

// V1 parameter names and values (sdk-go-v1.md §2 step 1).
const (
	paramSignature        = "Signature"
	paramAccessKeyID      = "AccessKeyId"
	paramSignatureMethod  = "SignatureMethod"
	paramSignatureVersion = "SignatureVersion"
	paramSignatureNonce   = "SignatureNonce"
	paramTimestamp        = "Timestamp"

	// MethodV1 is the only SignatureMethod the v1 scheme uses.
	MethodV1 = "HMAC-SHA1"
	// VersionV1 is the only SignatureVersion the v1 scheme uses.
	VersionV1 = "1.0"
)

// MergeParams returns the parameter set a V1 signature covers: the query parameters and the
// form parameters, the form winning when a key appears in both, because that is what the v1 SDK
// signs (sdk-go-v1.md §2 step 3, §6 #9). The inputs are not modified.
func MergeParams(query, form url.Values) url.Values {
	out := make(url.Values, len(query)+len(form))
	for k, v := range query {
		out[k] = v
	}
	for k, v := range form {
		out[k] = v
	}
	return out
}

// StringToSignV1 builds the V1 string to sign, METHOD&%2F&enc(canonical), where canonical is
// every parameter except Signature as enc(key)=enc(value), sorted by raw key in byte order and
// joined with &. Empty values stay in (SignatureType=). A key with several values contributes
// its first one, as url.Values.Get does. See sdk-go-v1.md §2 steps 3-5.
func StringToSignV1(method string, params url.Values) string {
	return string(appendStringToSignV1(nil, method, params))
}

// appendStringToSignV1 appends StringToSignV1(method, params) to b.
func appendStringToSignV1(b []byte, method string, params url.Values) []byte {
	var arr [32]Param // the SDK's requests carry 10 to 25 parameters: no allocation for the pairs
	p := arr[:0]
	for k, v := range params {
		first := ""
		if len(v) > 0 {
			first = v[0]
		}
		p = append(p, Param{k, first})
	}
	sortParams(p)
	return appendStringToSign(b, method, p)
}

// appendStringToSign appends the V1 string to sign of p, sorted Params, to b. It encodes every name and
// value once, straight into their doubly encoded form (appendEncodedTwice), instead of encoding the
// canonical string a second time: canonicalisation is most of the cost of checking a signature.
func appendStringToSign(b []byte, method string, p Params) []byte {
	if method == "POST" || method == "GET" { // the SDKs' methods: skip ToUpper's scan
		b = append(b, method...)
	} else {
		b = append(b, strings.ToUpper(method)...)
	}
	b = append(b, "&%2F&"...) // "&" + enc("/") + "&"
	first := true
	for i, kv := range p {
		if kv.Name == paramSignature || i > 0 && kv.Name == p[i-1].Name { // a repeated name: its first value
			continue
		}
		if !first {
			b = append(b, "%26"...) // enc("&")
		}
		first = false
		b = appendEncodedTwice(b, kv.Name)
		b = append(b, "%3D"...) // enc("=")
		b = appendEncodedTwice(b, kv.Value)
	}
	return b
}

// stsPool holds string-to-sign buffers for verifyV1, one per request otherwise.
var stsPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func keyLess(a, b string) bool {
	if a != "" && b != "" && a[0] != b[0] {
		return a[0] < b[0]
	}
	return a < b
}

// SignV1 returns base64(HMAC-SHA1(secret+"&", StringToSignV1(method, params))), the value of the
// Signature parameter (sdk-go-v1.md §2 step 6).
func SignV1(method string, params url.Values, secret string) string {
	return signV1Bytes(appendStringToSignV1(make([]byte, 0, 512), method, params), secret)
}

func signV1Bytes(stringToSign []byte, secret string) string {
	sig := sumV1(stringToSign, secret)
	return string(sig[:])
}

// v1Fields are the signature pieces of a V1 request, all required.
type v1Fields struct {
	signature, accessKeyID, method, version, nonce, timestamp string
}

func readV1Fields(p Params) (v1Fields, *Error) {
	var f v1Fields
	fields := [...]struct {
		name  string
		value *string
	}{
		{paramSignature, &f.signature},
		{paramAccessKeyID, &f.accessKeyID},
		{paramSignatureMethod, &f.method},
		{paramSignatureVersion, &f.version},
		{paramSignatureNonce, &f.nonce},
		{paramTimestamp, &f.timestamp},
	}
	for i, kv := range p { // one pass instead of a lookup per field; a repeated name gives its first value
		if i > 0 && kv.Name == p[i-1].Name {
			continue
		}
		for _, fd := range &fields {
			if kv.Name == fd.name {
				*fd.value = kv.Value
			}
		}
	}
	for _, fd := range &fields {
		if *fd.value == "" {
			return f, incomplete("missing parameter " + fd.name)
		}
	}
	if f.method != MethodV1 {
		return f, invalidSignatureMethod("SignatureMethod " + quoteShort(f.method))
	}
	if f.version != VersionV1 {
		return f, incomplete("unsupported SignatureVersion " + quoteShort(f.version))
	}
	return f, nil
}

// verifyV1 checks a query/form-signed request. Order of checks: missing pieces, method and
// version, timestamp format, access key, signature value.
func verifyV1(r Request, creds Credentials) (Result, error) {
	params := r.Params()
	f, err := readV1Fields(params)
	if err != nil {
		return Result{}, err
	}
	ts, terr := parseTimestamp(f.timestamp)
	if terr != nil {
		return Result{}, terr
	}
	secret, ok := creds.Secret(f.accessKeyID)
	if !ok {
		return Result{}, accessKeyNotFound()
	}
	buf := stsPool.Get().(*[]byte)
	sts := appendStringToSign((*buf)[:0], r.Method, params)
	sig := sumV1(sts, secret)
	match := hmac.Equal(sig[:], []byte(f.signature))
	var mismatch error
	if !match {
		mismatch = signatureMismatch(string(sts), "v1 signature differs")
	}
	if cap(sts) <= 64<<10 { // a picture's string to sign is megabytes: not worth keeping
		*buf = sts[:0]
		stsPool.Put(buf)
	}
	if mismatch != nil {
		return Result{}, mismatch
	}
	return Result{AccessKeyID: f.accessKeyID, Scheme: SchemeV1, Nonce: f.nonce, Timestamp: ts.In(time.UTC)}, nil
}
