package emulator

import (
	"errors"
	"strconv"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// picInfo describes the submitted picture (ref §3, §5.1).
type picInfo struct {
	CategoryId    int32
	Region        string
	MultiRegion   []regionItem
	AllCategories []categoryItem
}

type regionItem struct{ Region string }

type categoryItem struct {
	Id   int32
	Name string
}

// addResult is AddImage's success body (ref §3).
type addResult struct {
	writeResult
	PicInfo picInfo
}

// addImage stores an image under (ProductId, PicName); an existing key is replaced, last write wins (ref §3).
func (s *Server) addImage(c *call) (any, *apiError) {
	key, e := s.imageKey(c)
	if e != nil {
		return nil, e
	}
	patch, e := s.attributes(c, true)
	if e != nil {
		return nil, e
	}
	category, hasCategory, e := parseCategory(c, false)
	if e != nil {
		return nil, e
	}
	pic, e := s.inspect(c, &contract.InvalidRegion)
	if e != nil {
		return nil, e
	}
	if !hasCategory {
		category = imaging.PredictCategory(pic.Descriptor)
	}
	rec := store.Record{ProductId: key.ProductId, PicName: key.PicName, CategoryId: category, Region: pic.Region,
		Added: s.opts.Now()}
	if s.opts.DataDir != "" {
		// Persisted so the index can be rebuilt after a restart; in memory the index holds the only copy.
		rec.Desc = descriptorBytes(pic.Descriptor)
	}
	patch.apply(&rec)

	c.inst.writeMu.Lock()
	defer c.inst.writeMu.Unlock()
	old, exists := s.catalog.Get(c.inst.cfg.Name, key)
	if !exists && int64(s.catalog.Count(c.inst.cfg.Name)) >= c.inst.cfg.Capacity {
		return nil, &contract.InstanceOverQuota // ref §1.9
	}
	if exists {
		switch s.b.replace {
		case replaceKeepFirst:
			return addResult{writeResult: success(c), PicInfo: s.picInfoOf(category, pic.Region)}, nil
		case replaceKeepAttributes:
			keepAttributes(&rec, &old)
		}
	}
	if _, err := s.catalog.Put(c.inst.cfg.Name, rec); err != nil {
		return nil, &contract.InternalError
	}
	c.inst.index().Put(key, pic.Descriptor, indexAttrs(&rec))
	s.added(c.inst.cfg.Name, key)
	return addResult{writeResult: success(c), PicInfo: s.picInfoOf(category, pic.Region)}, nil
}

// inspect validates PicContent, Crop and Region and computes the descriptor (ref §1.5). regionErr is the
// operation's wording of InvalidRegion (ref §9 #15).
func (s *Server) inspect(c *call, regionErr *apiError) (*imaging.Picture, *apiError) {
	crop, ok := parseBool(c.params.Get("Crop"), true)
	if !ok {
		return nil, &contract.BadRequest
	}
	content, _ := c.get("PicContent")
	pic, err := imaging.Inspect(content, imaging.Options{Region: c.params.Get("Region"), Crop: crop})
	if err != nil {
		var ie *imaging.Error
		if errors.As(err, &ie) {
			if ie.Code == contract.InvalidRegion.Code {
				return nil, regionErr
			}
			if e, ok := contract.Lookup(ie.Code); ok {
				return nil, &e
			}
		}
		return nil, &contract.UnsupportedPicFormat
	}
	return pic, nil
}

// parseCategory reads CategoryId. The search operations accept only the documented enum (ref §1.8);
// AddImage's metadata has no enum, so any int32 is accepted there.
func parseCategory(c *call, enumOnly bool) (int32, bool, *apiError) {
	v, sent := c.get("CategoryId")
	if !sent || v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, false, &contract.InvalidCategory
	}
	if enumOnly && !validCategory(int32(n)) {
		return 0, false, &contract.InvalidCategory
	}
	return int32(n), true, nil
}

func validCategory(n int32) bool {
	for _, c := range contract.Categories {
		if c == n {
			return true
		}
	}
	return false
}

// picInfoOf is PicInfo for a picture of category with its subject at region. AllCategories is "all
// categories the system supports" (ref §5.1), not the picture's.
func (s *Server) picInfoOf(category int32, region string) picInfo {
	return picInfo{CategoryId: category, Region: region, MultiRegion: []regionItem{{Region: region}},
		AllCategories: allCategories}
}

// allCategories lists every documented category (ref §1.8) with its name, in the reference's order.
var allCategories = func() []categoryItem {
	out := make([]categoryItem, len(contract.Categories))
	for i, id := range contract.Categories {
		out[i] = categoryItem{Id: id, Name: categoryName(id)}
	}
	return out
}()

// categoryName names the documented categories (ref §1.8).
func categoryName(id int32) string {
	names := map[int32]string{0: "Tops", 1: "Dress", 2: "Bottoms", 3: "Bag", 4: "Shoes", 5: "Accessories",
		6: "Snacks", 7: "Makeups", 8: "Bottle drink", 9: "Furniture", 20: "Toy", 21: "Underwear",
		22: "Digital device", contract.OtherCategory: "Others"}
	if n, ok := names[id]; ok {
		return n
	}
	return "Others"
}
