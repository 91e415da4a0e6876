package imagesearch

// Request structs. Plain string fields are required parameters and are always
// sent (an empty value goes on the wire as `k=`); pointer fields are optional
// and are sent only when non-nil. Every request also has:
//
//   - Raw: values sent verbatim, in the placement the table gives for that key
//     (unknown keys go in the body). A key present in Raw wins over the typed
//     field, which lets a test send e.g. IntAttr="abc".
//   - Omit: keys not to send at all, applied after Raw, which lets a test leave
//     out a required parameter.

// Attributes are the mutable metadata of an indexed image (ref §2.1, §3).
// The integers are int64 so that values outside int32 can be sent on purpose.
type Attributes struct {
	CustomContent                         *string
	IntAttr, IntAttr2, IntAttr3, IntAttr4 *int64
	StrAttr, StrAttr2, StrAttr3, StrAttr4 *string
}

// AddImageRequest adds (or, for an existing ProductId+PicName, replaces) an
// image (ref §3).
type AddImageRequest struct {
	InstanceName, ProductId, PicName string
	// PicContent is the image file; it is sent base64-encoded. Use Raw to send
	// text that is not valid base64.
	PicContent []byte
	CategoryId *int64
	Crop       *bool
	Region     *string // "x1,x2,y1,y2"
	Attributes
	Raw  map[string]string
	Omit []string
}

func (r *AddImageRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.set("ProductId", r.ProductId)
	p.set("PicName", r.PicName)
	p.picture("PicContent", r.PicContent)
	p.int("CategoryId", r.CategoryId)
	p.bool("Crop", r.Crop)
	p.str("Region", r.Region)
	p.attributes(r.Attributes)
	p.override(r.Raw, r.Omit)
	return p
}

// UpdateImageRequest changes the metadata of an indexed image (ref §2.1).
// PicName is optional in the newest profile (ref §9 #1): nil updates by
// ProductId.
type UpdateImageRequest struct {
	InstanceName, ProductId string
	PicName                 *string
	Attributes
	Raw  map[string]string
	Omit []string
}

func (r *UpdateImageRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.set("ProductId", r.ProductId)
	p.str("PicName", r.PicName)
	p.attributes(r.Attributes)
	p.override(r.Raw, r.Omit)
	return p
}

// DeleteImageRequest deletes images by ProductId(+PicName) or by Filter
// (ref §4). ProductId is optional since the 2025 profile.
type DeleteImageRequest struct {
	InstanceName     string
	ProductId        *string
	PicName          *string
	IsDeleteByFilter *bool
	Filter           *string
	Raw              map[string]string
	Omit             []string
}

func (r *DeleteImageRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.str("ProductId", r.ProductId)
	p.str("PicName", r.PicName)
	p.bool("IsDeleteByFilter", r.IsDeleteByFilter)
	p.str("Filter", r.Filter)
	p.override(r.Raw, r.Omit)
	return p
}

// SearchOptions are the paging and filtering parameters shared by the
// similarity searches (ref §5.1, §5.2).
type SearchOptions struct {
	CategoryId        *int64
	Num, Start        *int64
	Filter            *string
	DistinctProductId *bool
	// ScoreThreshold is a string on the wire ("0.00"–"1.00", ref §5.1).
	ScoreThreshold *string
}

func (p params) searchOptions(o SearchOptions) {
	p.int("CategoryId", o.CategoryId)
	p.int("Num", o.Num)
	p.int("Start", o.Start)
	p.str("Filter", o.Filter)
	p.bool("DistinctProductId", o.DistinctProductId)
	p.str("ScoreThreshold", o.ScoreThreshold)
}

// SearchImageByPicRequest searches with a query image (ref §5.1).
type SearchImageByPicRequest struct {
	InstanceName string
	// PicContent is the query image; it is sent base64-encoded.
	PicContent []byte
	Crop       *bool
	Region     *string
	SearchOptions
	Raw  map[string]string
	Omit []string
}

func (r *SearchImageByPicRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.picture("PicContent", r.PicContent)
	p.bool("Crop", r.Crop)
	p.str("Region", r.Region)
	p.searchOptions(r.SearchOptions)
	p.override(r.Raw, r.Omit)
	return p
}

// SearchImageByNameRequest searches with an image already in the instance
// (ref §5.2).
type SearchImageByNameRequest struct {
	InstanceName, ProductId, PicName string
	SearchOptions
	Raw  map[string]string
	Omit []string
}

func (r *SearchImageByNameRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.set("ProductId", r.ProductId)
	p.set("PicName", r.PicName)
	p.searchOptions(r.SearchOptions)
	p.override(r.Raw, r.Omit)
	return p
}

// CheckImageExistsRequest looks one image up by key (ref §5.5).
type CheckImageExistsRequest struct {
	InstanceName, ProductId, PicName string
	Raw                              map[string]string
	Omit                             []string
}

func (r *CheckImageExistsRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.set("ProductId", r.ProductId)
	p.set("PicName", r.PicName)
	p.override(r.Raw, r.Omit)
	return p
}

// DetailRequest reads instance information (ref §6.1).
type DetailRequest struct {
	InstanceName string
	Raw          map[string]string
	Omit         []string
}

func (r *DetailRequest) params() params {
	p := params{}
	p.set("InstanceName", r.InstanceName)
	p.override(r.Raw, r.Omit)
	return p
}

// Ptr returns a pointer to v; it makes optional request fields easy to fill.
func Ptr[T any](v T) *T { return &v }
