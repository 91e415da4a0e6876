package emulator

import (
	"regexp"
	"strconv"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator/internal/filter"
	"github.com/imagesearch-conformance/conformance/emulator/internal/imaging"
	"github.com/imagesearch-conformance/conformance/emulator/internal/index"
	"github.com/imagesearch-conformance/conformance/emulator/internal/store"
)

// auction is one search result with every stored attribute (ref §5.1).
type auction struct {
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

type head struct{ DocsFound, DocsReturn, SearchTime int32 }

// searchHead fills Head: which of DocsFound and DocsReturn is the page size and which the total is an
// implementation freedom here (ref §9 #16, see observedHead).
func (s *Server) searchHead(returned, total int, took time.Duration) head {
	h := s.b.head(returned, total)
	h.SearchTime = int32(took.Milliseconds())
	return h
}

// searchResult is the success body of both search operations; note Msg, not Message (ref §1.4, §5.1).
type searchResult struct {
	RequestId string
	Success   bool
	Code      int
	Msg       string
	Head      head
	PicInfo   picInfo
	Auctions  []auction
}

// scoreThreshold is the documented form of ScoreThreshold (ref §5.1).
var scoreThreshold = regexp.MustCompile(`^(0(\.[0-9]{1,2})?|1(\.00?)?)$`)

// searchParams are the paging and filtering parameters shared by the search operations (ref §1.6, §1.7).
type searchParams struct {
	start, num int
	filter     *filter.Expr
	distinct   bool
	threshold  float32
	category   int32
	byCategory bool
}

func (s *Server) searchImageByPic(c *call) (any, *apiError) {
	if e := s.begin(c); e != nil {
		return nil, e
	}
	sp, e := s.parseSearch(c)
	if e != nil {
		return nil, e
	}
	if content, _ := c.get("PicContent"); content == "" {
		return nil, &contract.NoSpecifiedPicContent
	}
	pic, e := s.inspect(c, &contract.InvalidRegionSearch)
	if e != nil {
		return nil, e
	}
	category := sp.category
	if !sp.byCategory {
		category = imaging.PredictCategory(pic.Descriptor)
	}
	return s.runSearch(c, pic.Descriptor, sp, s.picInfoOf(category, pic.Region)), nil
}

// searchImageByName is a similarity search seeded by an image already in the instance (ref §5.2).
func (s *Server) searchImageByName(c *call) (any, *apiError) {
	key, e := s.imageKey(c)
	if e != nil {
		return nil, e
	}
	sp, e := s.parseSearch(c)
	if e != nil {
		return nil, e
	}
	seed, ok := s.catalog.Get(c.inst.cfg.Name, key)
	if !ok {
		return nil, &contract.PicNotExist
	}
	d, ok := c.inst.index().Get(index.Key(key))
	if !ok {
		return nil, &contract.PicNotExist // deleted while the search ran
	}
	return s.runSearch(c, d, sp, s.picInfoOf(seed.CategoryId, seed.Region)), nil
}

// parseSearch validates Num, Start, Filter, DistinctProductId, ScoreThreshold and CategoryId (ref §1.6-1.8, §5.1).
func (s *Server) parseSearch(c *call) (searchParams, *apiError) {
	sp := searchParams{num: contract.DefaultNum}
	var ok bool
	if v, sent := c.get("Num"); sent {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			return sp, &contract.InvalidNumParameter
		case n > contract.MaxNum:
			return sp, &contract.OverflowMaxReturnNum
		}
		sp.num = n
	}
	if v, sent := c.get("Start"); sent {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return sp, &contract.InvalidStartParameter
		}
		sp.start = n
	}
	if sp.start > contract.MaxResults-sp.num { // not start+num: a huge Start would overflow the sum
		return sp, &contract.OverflowMaxResultNum // [inferred] Start+Num ≤ 500 (ref §1.6)
	}
	if src := c.params.Get("Filter"); src != "" {
		if s.b.lengthOf(src) > contract.MaxFilter {
			return sp, &contract.InvalidFilterClause
		}
		expr, err := filter.Parse(src)
		if err != nil {
			return sp, &contract.InvalidFilterClause
		}
		sp.filter = expr
	}
	if sp.distinct, ok = parseBool(c.params.Get("DistinctProductId"), false); !ok {
		return sp, &contract.BadRequest
	}
	if v := c.params.Get("ScoreThreshold"); v != "" {
		// A string "0.00"-"1.00" with up to 2 decimals (ref §5.1); no code is documented for a bad one,
		// so it gets the generic BadRequest (ref §8.1).
		if !scoreThreshold.MatchString(v) {
			return sp, &contract.BadRequest
		}
		f, _ := strconv.ParseFloat(v, 32)
		sp.threshold = float32(f)
	}
	cat, has, e := parseCategory(c, true)
	if e != nil {
		return sp, e
	}
	sp.category, sp.byCategory = cat, has
	return sp, nil
}

// runSearch ranks the instance's images against q: filter first, then score, so paging runs over filtered
// results (ref §1.6, §1.7). The order is Score descending, ties broken by (ProductId, PicName), and
// DistinctProductId keeps each product's best image: the reference leaves both open (ref §10 #12).
func (s *Server) runSearch(c *call, q imaging.Descriptor, sp searchParams, info picInfo) searchResult {
	began := time.Now()
	name := c.inst.cfg.Name
	var keep func(index.Key) bool
	lagged, now := s.b.indexLag > 0, s.opts.Now()
	if sp.filter != nil || sp.byCategory || lagged {
		keep = func(k index.Key) bool {
			// Under an index lag an image added recently is not in results yet (ref §10 #11).
			if lagged && !s.searchable(name, k, now) {
				return false
			}
			if sp.filter == nil && !sp.byCategory {
				return true
			}
			r, ok := s.catalog.Get(name, store.Key(k))
			if !ok {
				return false
			}
			// A given CategoryId is used as-is (ref §1.8); [inferred] it restricts results to that category.
			if sp.byCategory && r.CategoryId != sp.category {
				return false
			}
			return sp.filter == nil || sp.filter.Match(s.filterAttrs(name, &r))
		}
	}
	limit := sp.start + sp.num
	if sp.distinct || sp.threshold > 0 {
		limit = contract.MaxResults
	}
	hits, total := c.inst.index().Search(q, keep, limit)
	auctions := make([]auction, 0, sp.num)
	seen := map[string]bool{}
	skipped := 0
	for _, h := range hits {
		if h.Score < sp.threshold || (sp.distinct && seen[h.Key.ProductId]) {
			continue
		}
		seen[h.Key.ProductId] = true
		if skipped < sp.start {
			skipped++
			continue
		}
		if len(auctions) == sp.num {
			break
		}
		r, ok := s.catalog.Get(name, store.Key(h.Key))
		if !ok {
			continue // deleted while the search ran
		}
		auctions = append(auctions, s.auctionOf(name, &r, h.Score))
	}
	return searchResult{RequestId: c.id, Success: true, Code: 0, Msg: "success",
		Head: s.searchHead(len(auctions), total, time.Since(began)), PicInfo: info, Auctions: auctions}
}

// auctionOf renders one stored record as a search result (ref §5.1), as the behaviour shows results: the
// result variants (a pre-update view, a swapped StrAttr) belong to searches; CheckImageExists reads the
// image itself through renderAuction.
func (s *Server) auctionOf(instance string, r *store.Record, score float32) auction {
	return renderAuction(s.shownRecord(instance, r), score, s.b.strAttrSlot)
}

// renderAuction renders a record; strSlot is the StrAttr slot shown as StrAttr (0 unless a mutant swaps it).
// SortExprValues is the deprecated "<relevance>;0" string whose relevance peaks at 7.33136443711219e+24 for
// categories 0-2 and 5.37633353624177e+24 otherwise.
func renderAuction(r *store.Record, score float32, strSlot int) auction {
	peak := 5.37633353624177e+24
	if r.CategoryId >= 0 && r.CategoryId <= 2 {
		peak = 7.33136443711219e+24
	}
	a := auction{ProductId: r.ProductId, PicName: r.PicName, CategoryId: r.CategoryId,
		CustomContent: r.CustomContent, Score: score,
		SortExprValues: strconv.FormatFloat(float64(score)*peak, 'g', 15, 64) + ";0",
		IntAttr:        r.IntAttr[0], IntAttr2: r.IntAttr[1], IntAttr3: r.IntAttr[2], IntAttr4: r.IntAttr[3],
		StrAttr: r.StrAttr[strSlot], StrAttr2: r.StrAttr[1], StrAttr3: r.StrAttr[2], StrAttr4: r.StrAttr[3]}
	return a
}
