package imagesearch

import (
	"net/url"
	"strings"
	"sync"
)

// mask replaces every redacted value.
const mask = "***"

// sensitiveKeys are the signed-request parameters whose values must not reach
// logs. SignatureNonce comes before Signature so the longer name matches first.
var sensitiveKeys = []string{"AccessKeyId", "SignatureNonce", "Signature", "SecurityToken"}

// separators join a key to its value: plain, once and twice percent-encoded
// (a string to sign echoed by the gateway is encoded once more).
var separators = []string{"=", "%3D", "%253D"}

// terminators end a value: the next parameter, in the same three encodings,
// or a character that cannot be part of a URL value.
var terminators = []string{"&", "%26", "%2526", " ", "\t", "\n", "\r", "\"", "'", "<", ">", ","}

// secrets holds every AccessKeySecret configured through New, so the
// package-level Redact can mask them wherever they appear.
var secrets struct {
	sync.RWMutex
	set map[string]struct{}
}

// registerSecret makes Redact mask s from now on.
func registerSecret(s string) {
	if s == "" {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	if secrets.set == nil {
		secrets.set = map[string]struct{}{}
	}
	secrets.set[s] = struct{}{}
}

// Redact masks the values of AccessKeyId, Signature, SignatureNonce and
// SecurityToken parameters (plain or percent-encoded, as in URLs and echoed
// strings to sign) and every occurrence of an AccessKeySecret configured in
// this process through New, raw or URL-escaped. Use it on anything logged.
func Redact(s string) string {
	s = maskParams(s)
	secrets.RLock()
	defer secrets.RUnlock()
	for secret := range secrets.set {
		s = strings.ReplaceAll(s, secret, mask)
		if esc := url.QueryEscape(secret); esc != secret {
			s = strings.ReplaceAll(s, esc, mask)
		}
	}
	return s
}

// maskParams scans s once, replacing the value after each sensitive
// key+separator up to the next terminator.
func maskParams(s string) string {
	var b strings.Builder
	i := 0
	for i < len(s) {
		n := sensitivePrefix(s[i:])
		if n == 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(s[i : i+n])
		b.WriteString(mask)
		i += n + valueLen(s[i+n:])
	}
	return b.String()
}

// sensitivePrefix returns the length of "key"+"separator" at the start of s,
// or 0.
func sensitivePrefix(s string) int {
	for _, k := range sensitiveKeys {
		if !strings.HasPrefix(s, k) {
			continue
		}
		for _, sep := range separators {
			if strings.HasPrefix(s[len(k):], sep) {
				return len(k) + len(sep)
			}
		}
	}
	return 0
}

// valueLen returns how many bytes of s belong to the value.
func valueLen(s string) int {
	end := len(s)
	for _, t := range terminators {
		if j := strings.Index(s[:end], t); j >= 0 {
			end = j
		}
	}
	return end
}
