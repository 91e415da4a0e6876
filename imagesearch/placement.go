package imagesearch

import (
	"encoding/base64"
	"strconv"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// Action names accepted by the service (ref §1.1). There is no "DetailImage";
// the instance-information call is "Detail".
const (
	ActionAddImage          = "AddImage"
	ActionUpdateImage       = "UpdateImage"
	ActionDeleteImage       = "DeleteImage"
	ActionSearchImageByPic  = "SearchImageByPic"
	ActionSearchImageByName = "SearchImageByName"
	ActionCheckImageExists  = "CheckImageExists"
	ActionDetail            = "Detail"
)

// Location says where a parameter travels on the wire.
type Location int

const (
	// InBody is the application/x-www-form-urlencoded request body.
	InBody Location = iota
	// InQuery is the URL query string, next to the signature parameters.
	InQuery
)

// String returns "body" or "query".
func (l Location) String() string {
	if l == InQuery {
		return "query"
	}
	return "body"
}

// placement is the single source of truth for parameter placement, copied
// from the vendor SDK's generated *WithOptions code (sdk-go-v1.md §1.3,
// ref §1.3, §2.1, §3, §4, §5.1, §5.2, §5.5, §6.1). A key that is not listed
// for an action (for example an unknown key sent through Raw) goes in the body,
// which is where the service's RPC gateway expects form data by default.
var placement = map[string]map[string]Location{
	ActionUpdateImage: {
		"InstanceName": InBody, "ProductId": InBody, "PicName": InBody, "CustomContent": InBody,
		"IntAttr": InBody, "IntAttr2": InBody, "StrAttr": InBody, "StrAttr2": InBody,
		"IntAttr3": InQuery, "IntAttr4": InQuery, "StrAttr3": InQuery, "StrAttr4": InQuery,
	},
	ActionAddImage: {
		"InstanceName": InBody, "ProductId": InBody, "PicName": InBody, "PicContent": InBody,
		"CategoryId": InBody, "Crop": InBody, "Region": InBody, "CustomContent": InBody,
		"IntAttr": InBody, "IntAttr2": InBody, "IntAttr3": InBody, "IntAttr4": InBody,
		"StrAttr": InBody, "StrAttr2": InBody, "StrAttr3": InBody, "StrAttr4": InBody,
	},
	ActionSearchImageByPic: {
		"InstanceName": InBody, "PicContent": InBody, "CategoryId": InBody, "Crop": InBody,
		"Region": InBody, "Num": InBody, "Start": InBody, "Filter": InBody,
		"DistinctProductId": InBody, "ScoreThreshold": InQuery,
	},
	ActionSearchImageByName: {
		"InstanceName": InBody, "ProductId": InBody, "PicName": InBody, "CategoryId": InBody,
		"Num": InBody, "Start": InBody, "Filter": InBody, "DistinctProductId": InBody,
		"ScoreThreshold": InQuery,
	},
	ActionDeleteImage: {
		"InstanceName": InBody, "ProductId": InBody, "PicName": InBody,
		"IsDeleteByFilter": InBody, "Filter": InBody,
	},
	ActionCheckImageExists: {
		"InstanceName": InBody, "ProductId": InBody, "PicName": InBody,
	},
	ActionDetail: {
		"InstanceName": InQuery,
	},
}

// Placement reports where the client sends parameter key for action.
func Placement(action, key string) Location {
	return placement[action][key]
}

// params collects one request's business parameters before placement.
type params map[string]string

// set sends key with value v, even when v is empty.
func (p params) set(key, v string) { p[key] = v }

// str sends key only when v is non-nil; a pointer to "" is sent as `key=`.
func (p params) str(key string, v *string) {
	if v != nil {
		p[key] = *v
	}
}

// int sends key as a decimal integer when v is non-nil.
func (p params) int(key string, v *int64) {
	if v != nil {
		p[key] = strconv.FormatInt(*v, 10)
	}
}

// bool sends key as "true"/"false" when v is non-nil.
func (p params) bool(key string, v *bool) {
	if v != nil {
		p[key] = strconv.FormatBool(*v)
	}
}

// picture sends image bytes as standard base64, the encoding the service
// documents for PicContent (ref §1.5).
func (p params) picture(key string, b []byte) {
	p[key] = base64.StdEncoding.EncodeToString(b)
}

// attributes sends the eight metadata attributes and CustomContent.
func (p params) attributes(a Attributes) {
	p.str("CustomContent", a.CustomContent)
	p.int("IntAttr", a.IntAttr)
	p.int("IntAttr2", a.IntAttr2)
	p.int("IntAttr3", a.IntAttr3)
	p.int("IntAttr4", a.IntAttr4)
	p.str("StrAttr", a.StrAttr)
	p.str("StrAttr2", a.StrAttr2)
	p.str("StrAttr3", a.StrAttr3)
	p.str("StrAttr4", a.StrAttr4)
}

// override applies Raw values (they win over typed fields) and then drops
// every key listed in omit, so Omit always has the last word.
func (p params) override(raw map[string]string, omit []string) {
	for k, v := range raw {
		p[k] = v
	}
	for _, k := range omit {
		delete(p, k)
	}
}

// place copies the parameters into the request's query or form map according
// to the placement table.
func (p params) place(action string, r *requests.CommonRequest) {
	for k, v := range p {
		if Placement(action, k) == InQuery {
			r.QueryParams[k] = v
		} else {
			r.FormParams[k] = v
		}
	}
}
