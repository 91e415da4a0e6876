package emulator

import (
	"errors"
	"slices"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/imagesearch"
)

// rawShape decodes an SDK response's exact body and checks it against want.
func rawShape(t *testing.T, name string, raw []byte, want shape) map[string]any {
	t.Helper()
	m, err := imagesearch.DecodeMap(raw)
	if err != nil {
		t.Fatalf("%s: %v: %s", name, err, raw)
	}
	checkShape(t, name, m, want)
	return m
}

// TestOperationsThroughSDK runs all seven operations through the project's v1-SDK client and checks
// both the typed answers and the exact JSON shapes (ref §2.2, §3, §4, §5.1, §5.2, §5.5, §6.1).
func TestOperationsThroughSDK(t *testing.T) {
	e := startEnv(t, Options{})
	c, cx := e.client, ctx(t)
	p := imagesearch.Ptr[string]
	n := imagesearch.Ptr[int64]

	add, err := c.AddImage(cx, &imagesearch.AddImageRequest{InstanceName: testInstance, ProductId: "P1",
		PicName: "a.jpg", PicContent: picture(1), Attributes: imagesearch.Attributes{
			CustomContent: p("cc"), IntAttr: n(1), IntAttr2: n(2), IntAttr3: n(3), IntAttr4: n(4),
			StrAttr: p("s1"), StrAttr2: p("s2"), StrAttr3: p("s3"), StrAttr4: p("s4")}})
	if err != nil {
		t.Fatalf("AddImage: %v", err)
	}
	rawShape(t, "AddImage", add.Raw, addShape)
	if add.Code != 0 || add.Message != "success" || !add.Success || add.HTTPStatus != 200 {
		t.Errorf("AddImage envelope %+v", add)
	}
	pi := add.PicInfo
	if pi.Region == "" || len(pi.MultiRegion) != 1 || pi.MultiRegion[0].Region != pi.Region {
		t.Errorf("AddImage PicInfo %+v", pi)
	}
	// AllCategories is every category the system supports (ref §5.1), with its name (ref §1.8).
	if len(pi.AllCategories) != len(contract.Categories) {
		t.Errorf("AllCategories has %d entries, want the %d of ref §1.8: %+v", len(pi.AllCategories), len(contract.Categories), pi.AllCategories)
	}
	for i, c := range pi.AllCategories {
		if i < len(contract.Categories) && (c.Id != contract.Categories[i] || c.Name == "") {
			t.Errorf("AllCategories[%d] = %+v, want id %d with a name", i, c, contract.Categories[i])
		}
	}
	for _, k := range []struct {
		product, pic string
		seed         int64
	}{{"P1", "b.jpg", 2}, {"P2", "c.jpg", 3}} {
		if _, err := c.AddImage(cx, &imagesearch.AddImageRequest{InstanceName: testInstance, ProductId: k.product,
			PicName: k.pic, PicContent: picture(k.seed)}); err != nil {
			t.Fatalf("AddImage %s/%s: %v", k.product, k.pic, err)
		}
	}

	// The query-placed fields (IntAttr3/4, StrAttr3/4) travel in the query string (ref §1.3).
	upd, err := c.UpdateImage(cx, &imagesearch.UpdateImageRequest{InstanceName: testInstance, ProductId: "P1",
		PicName: p("a.jpg"), Attributes: imagesearch.Attributes{CustomContent: p("new & 中文 +*~"),
			IntAttr3: n(33), StrAttr3: p("s33")}})
	if err != nil {
		t.Fatalf("UpdateImage: %v", err)
	}
	rawShape(t, "UpdateImage", upd.Raw, writeShape)
	if upd.Code != 0 || upd.Message != "success" || !upd.Success {
		t.Errorf("UpdateImage envelope %+v", upd)
	}

	chk, err := c.CheckImageExists(cx, &imagesearch.CheckImageExistsRequest{InstanceName: testInstance, ProductId: "P1", PicName: "a.jpg"})
	if err != nil {
		t.Fatalf("CheckImageExists: %v", err)
	}
	rawShape(t, "CheckImageExists", chk.Raw, existsShape)
	a := chk.Auctions
	if !chk.Exists || chk.Msg != "success" || a.CustomContent != "new & 中文 +*~" || a.IntAttr != 1 || a.IntAttr2 != 2 ||
		a.IntAttr3 != 33 || a.IntAttr4 != 4 || a.StrAttr != "s1" || a.StrAttr2 != "s2" || a.StrAttr3 != "s33" || a.StrAttr4 != "s4" {
		t.Errorf("CheckImageExists after partial update: %+v", chk)
	}

	byPic, err := c.SearchImageByPic(cx, &imagesearch.SearchImageByPicRequest{InstanceName: testInstance, PicContent: picture(1)})
	if err != nil {
		t.Fatalf("SearchImageByPic: %v", err)
	}
	rawShape(t, "SearchImageByPic", byPic.Raw, searchShape)
	if len(byPic.Auctions) != 3 || byPic.Head.DocsFound != 3 || byPic.Head.DocsReturn != 3 || byPic.Msg != "success" {
		t.Fatalf("SearchImageByPic head %+v, %d auctions", byPic.Head, len(byPic.Auctions))
	}
	top := byPic.Auctions[0]
	if top.ProductId != "P1" || top.PicName != "a.jpg" || top.Score < 0.99 || top.IntAttr3 != 33 || top.CustomContent != "new & 中文 +*~" {
		t.Errorf("SearchImageByPic top hit %+v", top)
	}

	byName, err := c.SearchImageByName(cx, &imagesearch.SearchImageByNameRequest{InstanceName: testInstance, ProductId: "P2", PicName: "c.jpg"})
	if err != nil {
		t.Fatalf("SearchImageByName: %v", err)
	}
	rawShape(t, "SearchImageByName", byName.Raw, searchShape)
	if len(byName.Auctions) == 0 || byName.Auctions[0].ProductId != "P2" || byName.Auctions[0].PicName != "c.jpg" {
		t.Errorf("SearchImageByName should return its seed first: %+v", byName.Auctions)
	}

	det, err := c.Detail(cx, &imagesearch.DetailRequest{InstanceName: testInstance})
	if err != nil {
		t.Fatalf("Detail: %v", err)
	}
	rawShape(t, "Detail", det.Raw, detailShape)
	if det.Instance.Name != testInstance || det.Instance.TotalCount != 3 || !det.Success {
		t.Errorf("Detail %+v", det)
	}

	del, err := c.DeleteImage(cx, &imagesearch.DeleteImageRequest{InstanceName: testInstance, ProductId: p("P1")})
	if err != nil {
		t.Fatalf("DeleteImage: %v", err)
	}
	rawShape(t, "DeleteImage", del.Raw, deleteShape)
	got := slices.Sorted(slices.Values(del.Data.PicNames))
	if !slices.Equal(got, []string{"a.jpg", "b.jpg"}) || !del.Success || del.Message != "success" {
		t.Errorf("DeleteImage by product: %+v", del)
	}

	gone, err := c.CheckImageExists(cx, &imagesearch.CheckImageExistsRequest{InstanceName: testInstance, ProductId: "P1", PicName: "a.jpg"})
	if err != nil {
		t.Fatalf("CheckImageExists after delete: %v", err)
	}
	rawShape(t, "CheckImageExists(missing)", gone.Raw, missingShape)
	if gone.Exists {
		t.Error("image still exists after DeleteImage")
	}

	// Errors reach the SDK as a flat body with a string Code (ref §1.4).
	_, err = c.UpdateImage(cx, &imagesearch.UpdateImageRequest{InstanceName: testInstance, ProductId: "P1",
		PicName: p("a.jpg"), Attributes: imagesearch.Attributes{IntAttr: n(1)}})
	var apiErr *imagesearch.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("UpdateImage of a deleted image: want APIError, got %v", err)
	}
	if apiErr.HTTPStatus != 400 || apiErr.Code != contract.PicNotExist.Code || apiErr.Message != contract.PicNotExist.Message ||
		!requestIDPattern.MatchString(apiErr.RequestId) {
		t.Errorf("PicNotExist through the SDK: %+v", apiErr)
	}
	rawShape(t, "error", apiErr.Body, errorShape)
}

// TestSuccessHeaders checks the RequestId header and the JSON content type on every operation's answer.
func TestSuccessHeaders(t *testing.T) {
	e := startEnv(t, Options{})
	e.add("P", "a", 1)
	inst := form("InstanceName", testInstance)
	key := form("InstanceName", testInstance, "ProductId", "P", "PicName", "a")
	for _, tc := range []struct {
		action string
		form   map[string][]string
	}{
		{contract.OpAddImage, addForm("P", "b", 2)},
		{contract.OpUpdateImage, with2(key, "IntAttr", "5")},
		{contract.OpSearchImageByPic, with2(inst, "PicContent", picB64(1))},
		{contract.OpSearchImageByName, key},
		{contract.OpCheckImageExists, key},
		{contract.OpDetail, inst},
		{contract.OpDeleteImage, key},
	} {
		t.Run(tc.action, func(t *testing.T) {
			e := e.in(t)
			r := e.v1(tc.action, tc.form, nil)
			wantOK(t, r)
			if ct := r.Header.Get("Content-Type"); ct != "application/json;charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// with2 returns a copy of v with key set to value.
func with2(v map[string][]string, key, value string) map[string][]string {
	out := map[string][]string{}
	for k, x := range v {
		out[k] = x
	}
	out[key] = []string{value}
	return out
}
