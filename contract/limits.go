package contract

import "fmt"

// API identity (ref §1.1).
const (
	Version = "2020-12-14"
	Product = "ImageSearch"
)

// Operation names of the seven operations the project covers (ref §1.1).
const (
	OpAddImage          = "AddImage"
	OpUpdateImage       = "UpdateImage"
	OpDeleteImage       = "DeleteImage"
	OpSearchImageByPic  = "SearchImageByPic"
	OpSearchImageByName = "SearchImageByName"
	OpCheckImageExists  = "CheckImageExists"
	OpDetail            = "Detail"
)

// Operations lists the operations above in a stable order.
var Operations = []string{OpAddImage, OpUpdateImage, OpDeleteImage, OpSearchImageByPic,
	OpSearchImageByName, OpCheckImageExists, OpDetail}

// Length limits, counted in characters (Unicode code points) (ref §2.1, §3, §1.7).
const (
	MaxInstanceName  = 20
	MaxKey           = 256 // ProductId and PicName under both profiles (ref §9 #2: 256 in every 2025+ source of both profiles)
	MaxCustomContent = 4096
	MaxStrAttr       = 128
	MaxFilter        = 4096
)

// Image limits (ref §1.5).
const (
	MaxPicBytes = 4 * 1024 * 1024
	MinPixels   = 100
	MaxPixels   = 4096
	MaxBodySize = 8 * 1024 * 1024 // POST body limit (ref §1.3, [D-LIMITS])
)

// Paging limits of the search operations (ref §1.6).
const (
	DefaultNum = 10
	MaxNum     = 100
	MaxStart   = 499
	MaxResults = 500
)

// Category ids the search operations accept (ref §1.8); 88888888 is "Others".
var Categories = []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 88888888}

// OtherCategory is the generic "Others" category (ref §1.8).
const OtherCategory int32 = 88888888

// QPS limits per instance (ref §1.10).
const (
	UpdateImageQPS    = 20
	DeleteImageQPS    = 20
	AddImageQPSSmall  = 1 // instances of 0.1 M capacity
	AddImageQPS       = 5 // every other capacity
	DetailQPS         = 1
	SmallCapacity     = 100_000
	DefaultSearchQPS  = 5
	DefaultCapacity   = 2_500_000
	CapacityUnitCount = 10_000 // Detail.Instance.Capacity is in units of 10,000 images (ref §6.1)
)

// AddImageLimit is AddImage's QPS for an instance of the given capacity (ref §1.10, §9 #7).
func AddImageLimit(capacity int64) int {
	if capacity <= SmallCapacity {
		return AddImageQPSSmall
	}
	return AddImageQPS
}

// Profile names one reading of the disputed documents (ref §9 #1–2).
type Profile string

// The two profiles. Intl2025 follows the English UpdateImage page of May 2025 [D-UPD-EN]: PicName is
// required. CN2026 follows the Chinese pages and the 2026-06 SDK [D-UPD-ZH2], [GO26]: PicName is optional
// and UpdateImage without it changes every image of the product.
const (
	Intl2025 Profile = "intl-2025"
	CN2026   Profile = "cn-2026"
)

// DefaultProfile is the profile used when none is configured.
const DefaultProfile = Intl2025

// ParseProfile validates a profile name; the empty string means DefaultProfile.
func ParseProfile(s string) (Profile, error) {
	switch Profile(s) {
	case "":
		return DefaultProfile, nil
	case Intl2025, CN2026:
		return Profile(s), nil
	}
	return "", fmt.Errorf("unknown profile %q (want %q or %q)", s, Intl2025, CN2026)
}

// UpdatePicNameRequired reports whether UpdateImage needs PicName under p (ref §2.1, §9 #1).
func (p Profile) UpdatePicNameRequired() bool { return p != CN2026 }
