package emulator

import (
	"strconv"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// existsResult is CheckImageExists' success body; Auctions is a single object, not an array (ref §5.5).
type existsResult struct {
	RequestId string
	Success   bool
	Code      int
	Msg       string
	Exists    bool
	Auctions  *existsAuction
}

// existsAuction carries the stored attributes of the image; when the image does not exist it is an empty
// object (ref §10 #14: the real content is unknown).
type existsAuction struct {
	ProductId     string  `json:",omitempty"`
	PicName       string  `json:",omitempty"`
	CategoryId    *int32  `json:",omitempty"`
	CustomContent *string `json:",omitempty"`
	IntAttr       *int32  `json:",omitempty"`
	IntAttr2      *int32  `json:",omitempty"`
	IntAttr3      *int32  `json:",omitempty"`
	IntAttr4      *int32  `json:",omitempty"`
	StrAttr       *string `json:",omitempty"`
	StrAttr2      *string `json:",omitempty"`
	StrAttr3      *string `json:",omitempty"`
	StrAttr4      *string `json:",omitempty"`
}

func (s *Server) checkImageExists(c *call) (any, *apiError) {
	key, e := s.imageKey(c)
	if e != nil {
		return nil, e
	}
	out := existsResult{RequestId: c.id, Success: true, Msg: "success", Auctions: &existsAuction{}}
	r, ok := s.catalog.Get(c.inst.cfg.Name, key)
	if ok {
		a := renderAuction(&r, 0, 0) // the image itself: the search-result variants do not apply
		out.Exists = true
		out.Auctions = &existsAuction{ProductId: a.ProductId, PicName: a.PicName, CategoryId: &a.CategoryId,
			CustomContent: &a.CustomContent, IntAttr: &a.IntAttr, IntAttr2: &a.IntAttr2, IntAttr3: &a.IntAttr3,
			IntAttr4: &a.IntAttr4, StrAttr: &a.StrAttr, StrAttr2: &a.StrAttr2, StrAttr3: &a.StrAttr3,
			StrAttr4: &a.StrAttr4}
	}
	return out, nil
}

// detailResult is Detail's success body: no Code or Msg, timestamps as strings of epoch ms (ref §6.1).
type detailResult struct {
	RequestId string
	Success   bool
	Instance  detailInstance
}

type detailInstance struct {
	Name          string
	Region        string
	Capacity      int32 // unit: 10,000 images
	Qps           int32
	ServiceType   int32
	TotalCount    int64
	UtcCreate     string
	UtcExpireTime string
}

func (s *Server) detail(c *call) (any, *apiError) {
	if e := s.begin(c); e != nil {
		return nil, e
	}
	cfg := c.inst.cfg
	return detailResult{RequestId: c.id, Success: true, Instance: detailInstance{
		Name: cfg.Name, Region: cfg.Region, Capacity: int32(cfg.Capacity / contract.CapacityUnitCount),
		Qps: int32(cfg.SearchQPS), ServiceType: 0, TotalCount: int64(s.catalog.Count(cfg.Name)),
		// Epoch-millisecond strings (ref §6.1); the one-year term is the emulator's choice [inferred].
		UtcCreate:     strconv.FormatInt(s.created.UnixMilli(), 10),
		UtcExpireTime: strconv.FormatInt(s.created.Add(365*24*time.Hour).UnixMilli(), 10),
	}}, nil
}
