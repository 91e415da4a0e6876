package signature

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"time"
)

// NewNonce returns a fresh SignatureNonce: 32 lower-case hex characters, the shape the v1 SDK sends
// (sdk-go-v1.md §2 step 7).
func NewNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// CommonV1 returns the query parameters the v1 SDK adds to every RPC request before signing: Action,
// Version, Format, the AccessKeyId, SignatureMethod/Version/Nonce, an empty SignatureType, the Timestamp
// and RegionId (sdk-go-v1.md §1.6, §2 step 1). An empty action is left out, so tests can omit it.
func CommonV1(action, version, accessKeyID string, now time.Time) url.Values {
	v := url.Values{}
	if action != "" {
		v.Set("Action", action)
	}
	v.Set("Version", version)
	v.Set("Format", "JSON")
	v.Set(paramAccessKeyID, accessKeyID)
	v.Set(paramSignatureMethod, MethodV1)
	v.Set(paramSignatureVersion, VersionV1)
	v.Set(paramSignatureNonce, NewNonce())
	v.Set("SignatureType", "")
	v.Set(paramTimestamp, now.UTC().Format(TimestampLayout))
	v.Set("RegionId", "ap-southeast-1")
	return v
}
