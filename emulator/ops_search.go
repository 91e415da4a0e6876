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
	d, ok := c.inst.index().Get(key)
	if !ok {
		return nil, &contract.PicNotExist // deleted while the search ran
	}
	return s.runSearch(c, d, sp, s.picInfoOf(seed.CategoryId, seed.Region)), nil
}

// parseSearch validates Num, Start, Filter, DistinctProductId, ScoreThreshold and CategoryId (ref §1.6-1.8, §5.1).
func (s *Server) parseSearch(c *call) (searchParams, *apiError) {
	sp := searchParams{num: contract.DefaultNum}
	var ok bool
	var e *apiError
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
		if sp.filter, e = s.parseFilter(src); e != nil {
			return sp, e
		}
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

// parseFilter reads a Filter of DeleteImage or a search (ref §1.7, §4): one longer than the limit, in the
// behaviour's unit of length, or malformed is InvalidFilterClause.
func (s *Server) parseFilter(src string) (*filter.Expr, *apiError) {
	if s.b.lengthOf(src) > contract.MaxFilter {
		return nil, &contract.InvalidFilterClause
	}
	expr, err := filter.Parse(src)
	if err != nil {
		return nil, &contract.InvalidFilterClause
	}
	return expr, nil
}

// runSearch ranks the instance's images against q: filter first, then score, so paging runs over filtered
// results (ref §1.6, §1.7). The order is Score descending, ties broken by (ProductId, PicName), and
// DistinctProductId keeps each product's best image: the reference leaves both open (ref §10 #12).
func (s *Server) runSearch(c *call, q imaging.Descriptor, sp searchParams, info picInfo) searchResult {
	began := time.Now()
	name := c.inst.cfg.Name
	hits, total := c.inst.index().Search(q, s.selection(name, &sp), s.searchLimit(&sp))
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
		r, ok := s.catalog.Get(name, h.Key)
		if !ok {
			continue // deleted while the search ran
		}
		auctions = append(auctions, s.auctionOf(name, &r, h.Score))
	}
	return searchResult{RequestId: c.id, Success: true, Code: 0, Msg: "success",
		Head: s.searchHead(len(auctions), total, time.Since(began)), PicInfo: info, Auctions: auctions}
}

// searchLimit is how many ranked hits a search needs: its page, or every reachable result when hits are
// dropped after ranking (DistinctProductId, ScoreThreshold).
func (s *Server) searchLimit(sp *searchParams) int {
	if sp.distinct || sp.threshold > 0 {
		return contract.MaxResults
	}
	return sp.start + sp.num
}

// selection is what a search ranks: the index evaluates the Filter and CategoryId over the attributes it
// keeps beside each sketch (A given CategoryId is used as-is, ref §1.8; [inferred] it restricts results to
// that category). Only the variants that change what a filter sees read the catalogue per image: under an
// index lag an image added recently is not in results yet (ref §10 #11), and a filter may see the image as
// it was before its update.
func (s *Server) selection(name string, sp *searchParams) index.Selection {
	sel := index.Selection{Filter: sp.filter, Category: sp.category, ByCategory: sp.byCategory}
	lagged, now := s.b.indexLag > 0, s.opts.Now()
	stale := sp.filter != nil && s.b.filterSees == viewBeforeUpdate
	if !lagged && !stale {
		return sel
	}
	if stale {
		sel.Filter = nil // evaluated below, on the version the filter sees
	}
	sel.Keep = func(k index.Key) bool {
		if lagged && !s.searchable(name, k, now) {
			return false
		}
		if !stale {
			return true
		}
		r, ok := s.catalog.Get(name, k)
		return ok && sp.filter.Match(s.filterAttrs(name, &r))
	}
	return sel
}

// indexAttrs are the attributes of r the index selects by.
func indexAttrs(r *store.Record) index.Attrs {
	return index.Attrs{Category: r.CategoryId, Attrs: *attrsOf(r)}
}

// syncIndexAttrs copies the attributes of updated images from the catalogue to the index, so the next
// search filters on what the update stored (ref §2.3). The caller holds the instance's writeMu.
func (s *Server) syncIndexAttrs(in *instance, keys []store.Key) {
	for _, k := range keys {
		if r, ok := s.catalog.Get(in.cfg.Name, k); ok {
			in.index().SetAttrs(k, indexAttrs(&r))
		}
	}
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
