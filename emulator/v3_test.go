package emulator

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
)

// TestOperationsThroughV3 drives all seven operations with raw net/http requests signed with
// ACS3-HMAC-SHA256, Action and Version only in the x-acs-* headers (ref §1.3), and checks the answers.
func TestOperationsThroughV3(t *testing.T) {
	e := startEnv(t, Options{})

	r := e.v3(contract.OpAddImage, addForm("P1", "a.jpg", 1, "IntAttr", "7", "StrAttr", "red"), nil)
	wantOK(t, r)
	checkShape(t, "AddImage", r.M, addShape)
	wantOK(t, e.v3(contract.OpAddImage, addForm("P2", "b.jpg", 2), nil))

	// UpdateImage as the SDKs place it: IntAttr3/4 and StrAttr3/4 in the query (ref §1.3, §2.1).
	r = e.v3(contract.OpUpdateImage,
		form("InstanceName", testInstance, "ProductId", "P1", "PicName", "a.jpg", "StrAttr", "blue"),
		form("IntAttr3", "33", "StrAttr4", "s4"))
	wantOK(t, r)
	checkShape(t, "UpdateImage", r.M, writeShape)

	r = e.v3(contract.OpCheckImageExists, form("InstanceName", testInstance, "ProductId", "P1", "PicName", "a.jpg"), nil)
	wantOK(t, r)
	checkShape(t, "CheckImageExists", r.M, existsShape)
	a := r.M["Auctions"].(map[string]any)
	if r.M["Exists"] != true || a["StrAttr"] != "blue" || num(a["IntAttr"]) != "7" || num(a["IntAttr3"]) != "33" || a["StrAttr4"] != "s4" {
		t.Errorf("CheckImageExists after V3 update: %s", r.Body)
	}

	r = e.v3(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", picB64(1)),
		form("ScoreThreshold", "0.00"))
	wantOK(t, r)
	checkShape(t, "SearchImageByPic", r.M, searchShape)
	hits := r.M["Auctions"].([]any)
	if len(hits) != 2 || hits[0].(map[string]any)["PicName"] != "a.jpg" {
		t.Errorf("SearchImageByPic: %s", r.Body)
	}

	r = e.v3(contract.OpSearchImageByName, form("InstanceName", testInstance, "ProductId", "P2", "PicName", "b.jpg", "Num", "1"), nil)
	wantOK(t, r)
	checkShape(t, "SearchImageByName", r.M, searchShape)
	hits = r.M["Auctions"].([]any)
	if len(hits) != 1 || hits[0].(map[string]any)["PicName"] != "b.jpg" {
		t.Errorf("SearchImageByName: %s", r.Body)
	}

	// Detail puts its parameter in the query (ref §6.1).
	r = e.v3(contract.OpDetail, nil, form("InstanceName", testInstance))
	wantOK(t, r)
	checkShape(t, "Detail", r.M, detailShape)
	if num(r.M["Instance"].(map[string]any)["TotalCount"]) != "2" {
		t.Errorf("Detail: %s", r.Body)
	}

	r = e.v3(contract.OpDeleteImage, form("InstanceName", testInstance, "ProductId", "P1", "PicName", "a.jpg"), nil)
	wantOK(t, r)
	checkShape(t, "DeleteImage", r.M, deleteShape)
	if names := r.M["Data"].(map[string]any)["PicNames"].([]any); len(names) != 1 || names[0] != "a.jpg" {
		t.Errorf("DeleteImage: %s", r.Body)
	}
	if ok, _ := e.exists("P1", "a.jpg"); ok {
		t.Error("P1/a.jpg still exists after a V3 DeleteImage")
	}
}

// TestV3Errors checks that V3-signed requests get the same gateway and service errors as V1 ones.
func TestV3Errors(t *testing.T) {
	e := startEnv(t, Options{})
	t.Run("service error", func(t *testing.T) {
		e := e.in(t)
		r := e.v3(contract.OpUpdateImage, form("InstanceName", testInstance, "ProductId", "none", "PicName", "x", "IntAttr", "1"), nil)
		wantError(t, r, contract.PicNotExist)
	})
	t.Run("tampered body", func(t *testing.T) {
		e := e.in(t)
		req := e.v3Request(contract.OpDetail, form("InstanceName", testInstance), nil)
		tampered := (&rawReq{Form: form("InstanceName", "other")}).build(e.srv.URL())
		tampered.Header = req.Header
		r := e.do(tampered)
		wantCode(t, r, http.StatusBadRequest, contract.SignatureDoesNotMatch.Code)
	})
	t.Run("wrong version header", func(t *testing.T) {
		e := e.in(t)
		req := (&rawReq{Form: form("InstanceName", testInstance)}).build(e.srv.URL())
		req.Header.Set("x-acs-action", contract.OpDetail)
		req.Header.Set("x-acs-version", "2019-03-25")
		body := []byte(url.Values{"InstanceName": {testInstance}}.Encode())
		if err := signV3(req, body); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do(req), contract.InvalidActionOrVersion)
	})
}
