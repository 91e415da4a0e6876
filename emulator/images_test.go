package emulator

import (
	"testing"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/fixtures"
)

// TestImageValidation sends every edge-case picture of the fixtures through AddImage and expects the
// outcome the reference associates with it (ref §1.5). A refused picture must not be stored.
func TestImageValidation(t *testing.T) {
	e := startEnv(t, Options{})
	for _, c := range fixtures.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			e := e.in(t)
			if testing.Short() && len(c.Pic) > 1<<20 {
				t.Skip("large picture; run without -short")
			}
			f := addForm("P", c.Name, 0)
			f.Set("PicContent", fixtures.Base64(c.Pic))
			// V3 signs a hash of the body instead of every percent-encoded byte: much cheaper for
			// megabytes of picture under the race detector.
			r := e.v3(contract.OpAddImage, f, nil)
			if c.Accepted() {
				wantOK(t, r)
				return
			}
			wantError(t, r, c.Want)
			if ok, _ := e.exists("P", c.Name); ok {
				t.Error("a refused picture was stored")
			}
		})
	}
	// PicContent that is not a picture at all (ref §1.5).
	for _, tc := range []struct {
		name, content string
		want          contract.Error
	}{
		{"empty", "", contract.NoSpecifiedPicContent},
		{"blank", " \n ", contract.NoSpecifiedPicContent},
		{"not base64", "!!!not base64!!!", contract.UnsupportedPicFormat},
		{"base64 of text", fixtures.Base64([]byte("hello, world")), contract.UnsupportedPicFormat},
		{"truncated png", fixtures.Base64(fixtures.Truncated(fixtures.PNG)), contract.UnsupportedPicFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := e.in(t)
			f := addForm("P", "x", 0)
			f.Set("PicContent", tc.content)
			wantError(t, e.v1(contract.OpAddImage, f, nil), tc.want)
		})
	}
}

// TestRegion checks the Region parameter "x1,x2,y1,y2" (ref §3, §5.1): a valid box is echoed in
// PicInfo and wins over Crop; a bad one is InvalidRegion, worded with a period on AddImage and without
// one on SearchImageByPic (ref §9 #15). The test picture is 160×120.
func TestRegion(t *testing.T) {
	e := startEnv(t, Options{})
	for _, region := range []string{"0,160,0,120", "10,90,20,100", " 10 , 90 , 20 , 100 "} {
		r := e.v1(contract.OpAddImage, addForm("P", "a", 1, "Region", region, "Crop", "false"), nil)
		wantOK(t, r)
		pi := r.M["PicInfo"].(map[string]any)
		want := map[string]string{"0,160,0,120": "0,160,0,120"}[region]
		if want == "" {
			want = "10,90,20,100"
		}
		if pi["Region"] != want {
			t.Errorf("Region %q: PicInfo.Region %v, want %s", region, pi["Region"], want)
		}
	}
	for _, region := range []string{"1,2,3", "a,b,c,d", "0,161,0,120", "0,160,0,121", "-1,10,0,10",
		"50,40,0,10", "0,10,10,10", "99999999999999999999,1,2,3", "1,2,3,4,5"} {
		t.Run(region, func(t *testing.T) {
			e := e.in(t)
			wantError(t, e.v1(contract.OpAddImage, addForm("P", "b", 1, "Region", region), nil), contract.InvalidRegion)
			r := e.v1(contract.OpSearchImageByPic, form("InstanceName", testInstance, "PicContent", picB64(1), "Region", region), nil)
			wantError(t, r, contract.InvalidRegionSearch)
		})
	}
	wantError(t, e.v1(contract.OpAddImage, addForm("P", "c", 1, "Crop", "maybe"), nil), contract.BadRequest)
}
