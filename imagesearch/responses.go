package imagesearch

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Response structs mirror the JSON bodies field for field (ref §2.2, §3, §4,
// §5.1, §5.5, §6.1), with the integer widths of the vendor SDK's models, so a
// 2xx body whose values do not fit (a string Code, an IntAttr beyond int32) is
// a decode error that names the field.

// HTTPInfo is embedded in every response: the HTTP status and the exact body.
type HTTPInfo struct {
	HTTPStatus int    `json:"-"`
	Raw        []byte `json:"-"`
}

func (h *HTTPInfo) setHTTP(status int, raw []byte) {
	h.HTTPStatus = status
	h.Raw = raw
}

// UpdateImageResponse is the UpdateImage body (ref §2.2).
type UpdateImageResponse struct {
	RequestId string
	Code      int
	Message   string
	Success   bool
	HTTPInfo
}

// AddImageResponse is the AddImage body (ref §3).
type AddImageResponse struct {
	RequestId string
	Code      int
	Message   string
	Success   bool
	PicInfo   PicInfo
	HTTPInfo
}

// DeleteImageResponse is the DeleteImage body (ref §4).
type DeleteImageResponse struct {
	RequestId string
	Code      int
	Message   string
	Success   bool
	Data      DeleteData
	HTTPInfo
}

// DeleteData lists the names of the deleted images.
type DeleteData struct {
	PicNames []string
}

// SearchResponse is the SearchImageByPic and SearchImageByName body
// (ref §5.1, §5.2). Note the message key is Msg, not Message.
type SearchResponse struct {
	RequestId string
	Code      int
	Msg       string
	Success   bool
	Head      Head
	PicInfo   PicInfo
	Auctions  []Auction
	HTTPInfo
}

// Head carries search counters (ref §5.1).
type Head struct {
	DocsFound, DocsReturn, SearchTime int32
}

// PicInfo describes the subject detected in (or given for) an image.
type PicInfo struct {
	CategoryId    int32
	Region        string
	MultiRegion   []MultiRegion
	AllCategories []Category
}

// MultiRegion is one detected subject box, "x1,x2,y1,y2".
type MultiRegion struct {
	Region string
}

// Category is one entry of PicInfo.AllCategories.
type Category struct {
	Id   int32
	Name string
}

// Auction is one stored image as returned by searches and CheckImageExists.
type Auction struct {
	ProductId      string
	PicName        string
	CategoryId     int32
	CustomContent  string
	Score          float32
	SortExprValues string
	IntAttr        int32
	IntAttr2       int32
	IntAttr3       int32
	IntAttr4       int32
	StrAttr        string
	StrAttr2       string
	StrAttr3       string
	StrAttr4       string
}

// CheckImageExistsResponse is the CheckImageExists body (ref §5.5).
// Auctions is a single object here, not an array.
type CheckImageExistsResponse struct {
	RequestId string
	Code      int
	Msg       string
	Success   bool
	Exists    bool
	Auctions  Auction
	HTTPInfo
}

// DetailResponse is the Detail body (ref §6.1); it has no Code or Message.
type DetailResponse struct {
	RequestId string
	Success   bool
	Instance  Instance
	HTTPInfo
}

// Instance describes an Image Search instance (ref §6.1). UtcCreate and
// UtcExpireTime are strings holding epoch milliseconds.
type Instance struct {
	Name          string
	Region        string
	Capacity      int32
	Qps           int32
	ServiceType   int32
	TotalCount    int64
	UtcCreate     string
	UtcExpireTime string
}

// DecodeMap decodes a JSON object body into a map, keeping numbers as
// json.Number so callers can tell 1 from 1.0 from "1" and check key sets
// exactly.
func DecodeMap(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after JSON object")
	}
	return m, nil
}

// decodeStrict decodes a 2xx body into v with encoding/json. A type clash is
// reported with the JSON path of the field (encoding/json's
// UnmarshalTypeError carries it).
func decodeStrict(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok {
			return fmt.Errorf("field %s: JSON %s does not fit Go %s: %w", te.Field, te.Value, te.Type, err)
		}
		return err
	}
	return nil
}

// envelope is the part of a 2xx body that decides success (ref §1.4).
type envelope struct {
	requestID string
	success   *bool // nil when the key is absent or not a boolean
	code      string
	message   string
}

// readEnvelope extracts RequestId, Success, a numeric Code and Message (or
// Msg) from a decoded body; fields with unexpected types are left empty
// because the strict decode already reported them.
func readEnvelope(m map[string]any) envelope {
	var e envelope
	e.requestID, _ = m["RequestId"].(string)
	if b, ok := m["Success"].(bool); ok {
		e.success = &b
	}
	if n, ok := m["Code"].(json.Number); ok {
		e.code = n.String()
	}
	if s, ok := m["Message"].(string); ok {
		e.message = s
	} else {
		e.message, _ = m["Msg"].(string)
	}
	return e
}

// failed reports whether the body signals a business failure: Success:false
// or a non-zero Code (ref §1.4, sdk-go-v1.md §6.7).
func (e envelope) failed() bool {
	if e.success != nil && !*e.success {
		return true
	}
	return e.code != "" && e.code != "0"
}
