package imagesearch

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
)

const okBody = `{"RequestId":"R-1","Code":0,"Message":"success","Msg":"success","Success":true}`

// allAttributes sets every attribute to a distinct value.
func allAttributes() Attributes {
	return Attributes{
		CustomContent: Ptr("zidingyi & 中文 +*~"),
		IntAttr:       Ptr[int64](1), IntAttr2: Ptr[int64](2), IntAttr3: Ptr[int64](3), IntAttr4: Ptr[int64](4),
		StrAttr: Ptr("s1"), StrAttr2: Ptr("s2"), StrAttr3: Ptr("s3"), StrAttr4: Ptr("s4"),
	}
}

func allSearchOptions() SearchOptions {
	return SearchOptions{CategoryId: Ptr[int64](0), Num: Ptr[int64](10), Start: Ptr[int64](0),
		Filter: Ptr(`int_attr>=100 AND str_attr="v"`), DistinctProductId: Ptr(true), ScoreThreshold: Ptr("0.50")}
}

// businessQuery returns the query without the SDK's common parameters.
func businessQuery(t *testing.T, rec recorded) map[string]string {
	t.Helper()
	q := map[string]string{}
	for k, v := range rec.Query {
		q[k] = v[0]
	}
	for _, k := range commonParams {
		if _, ok := q[k]; !ok {
			t.Errorf("common parameter %s missing from the query", k)
		}
		delete(q, k)
	}
	return q
}

func flat(v map[string][]string) map[string]string {
	m := map[string]string{}
	for k, vs := range v {
		m[k] = vs[0]
	}
	return m
}

// TestPlacement sends every operation with every parameter set and checks
// each key's location and value against sdk-go-v1.md §1.3, written out here
// independently of the package's table.
func TestPlacement(t *testing.T) {
	pic := []byte{0xff, 0xd8, 0xff, 0xfb}
	cases := []struct {
		action    string
		call      func(*Client) error
		wantQuery map[string]string
		wantForm  map[string]string
	}{
		{ActionUpdateImage, func(c *Client) error {
			_, err := c.UpdateImage(context.Background(), &UpdateImageRequest{InstanceName: "inst", ProductId: "p1", PicName: Ptr("n.jpg"), Attributes: allAttributes()})
			return err
		},
			map[string]string{"IntAttr3": "3", "IntAttr4": "4", "StrAttr3": "s3", "StrAttr4": "s4"},
			map[string]string{"InstanceName": "inst", "ProductId": "p1", "PicName": "n.jpg", "CustomContent": "zidingyi & 中文 +*~",
				"IntAttr": "1", "IntAttr2": "2", "StrAttr": "s1", "StrAttr2": "s2"}},
		{ActionAddImage, func(c *Client) error {
			_, err := c.AddImage(context.Background(), &AddImageRequest{InstanceName: "inst", ProductId: "p1", PicName: "n.jpg",
				PicContent: pic, CategoryId: Ptr[int64](88888888), Crop: Ptr(false), Region: Ptr("1,2,3,4"), Attributes: allAttributes()})
			return err
		},
			map[string]string{},
			map[string]string{"InstanceName": "inst", "ProductId": "p1", "PicName": "n.jpg", "PicContent": "/9j/+w==",
				"CategoryId": "88888888", "Crop": "false", "Region": "1,2,3,4", "CustomContent": "zidingyi & 中文 +*~",
				"IntAttr": "1", "IntAttr2": "2", "IntAttr3": "3", "IntAttr4": "4", "StrAttr": "s1", "StrAttr2": "s2", "StrAttr3": "s3", "StrAttr4": "s4"}},
		{ActionSearchImageByPic, func(c *Client) error {
			_, err := c.SearchImageByPic(context.Background(), &SearchImageByPicRequest{InstanceName: "inst", PicContent: pic,
				Crop: Ptr(true), Region: Ptr("1,2,3,4"), SearchOptions: allSearchOptions()})
			return err
		},
			map[string]string{"ScoreThreshold": "0.50"},
			map[string]string{"InstanceName": "inst", "PicContent": "/9j/+w==", "Crop": "true", "Region": "1,2,3,4",
				"CategoryId": "0", "Num": "10", "Start": "0", "Filter": `int_attr>=100 AND str_attr="v"`, "DistinctProductId": "true"}},
		{ActionSearchImageByName, func(c *Client) error {
			_, err := c.SearchImageByName(context.Background(), &SearchImageByNameRequest{InstanceName: "inst", ProductId: "p1", PicName: "n.jpg", SearchOptions: allSearchOptions()})
			return err
		},
			map[string]string{"ScoreThreshold": "0.50"},
			map[string]string{"InstanceName": "inst", "ProductId": "p1", "PicName": "n.jpg",
				"CategoryId": "0", "Num": "10", "Start": "0", "Filter": `int_attr>=100 AND str_attr="v"`, "DistinctProductId": "true"}},
		{ActionDeleteImage, func(c *Client) error {
			_, err := c.DeleteImage(context.Background(), &DeleteImageRequest{InstanceName: "inst", ProductId: Ptr("p1"), PicName: Ptr("n.jpg"),
				IsDeleteByFilter: Ptr(false), Filter: Ptr("int_attr=1")})
			return err
		},
			map[string]string{},
			map[string]string{"InstanceName": "inst", "ProductId": "p1", "PicName": "n.jpg", "IsDeleteByFilter": "false", "Filter": "int_attr=1"}},
		{ActionCheckImageExists, func(c *Client) error {
			_, err := c.CheckImageExists(context.Background(), &CheckImageExistsRequest{InstanceName: "inst", ProductId: "p1", PicName: "n.jpg"})
			return err
		},
			map[string]string{},
			map[string]string{"InstanceName": "inst", "ProductId": "p1", "PicName": "n.jpg"}},
		{ActionDetail, func(c *Client) error {
			_, err := c.Detail(context.Background(), &DetailRequest{InstanceName: "inst"})
			return err
		},
			map[string]string{"InstanceName": "inst"},
			map[string]string{}},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			srv := newFakeServer(t, fixed(200, okBody))
			if err := tc.call(newClient(t, srv.URL, nil)); err != nil {
				t.Fatalf("call: %v", err)
			}
			rec := srv.last(t)
			if rec.action() != tc.action || rec.Query.Get("Version") != "2020-12-14" || rec.Query.Get("RegionId") != DefaultRegionID {
				t.Errorf("Action/Version/RegionId = %q/%q/%q", rec.action(), rec.Query.Get("Version"), rec.Query.Get("RegionId"))
			}
			if got := businessQuery(t, rec); !maps.Equal(got, tc.wantQuery) {
				t.Errorf("query params = %v, want %v", got, tc.wantQuery)
			}
			if got := flat(rec.Form); !maps.Equal(got, tc.wantForm) {
				t.Errorf("form params = %v, want %v", got, tc.wantForm)
			}
		})
	}
}

// TestEmptyAndUnset checks that a pointer to "" goes out as `k=` in its
// placement and a nil pointer is not sent at all.
func TestEmptyAndUnset(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, nil)
	_, err := c.UpdateImage(context.Background(), &UpdateImageRequest{InstanceName: "inst", ProductId: "",
		Attributes: Attributes{CustomContent: Ptr(""), StrAttr3: Ptr("")}})
	if err != nil {
		t.Fatal(err)
	}
	rec := srv.last(t)
	body := strings.Split(rec.RawBody, "&")
	for _, want := range []string{"CustomContent=", "ProductId=", "InstanceName=inst"} {
		if !slices.Contains(body, want) {
			t.Errorf("body %q lacks %q", rec.RawBody, want)
		}
	}
	if !slices.Contains(strings.Split(rec.RawQuery, "&"), "StrAttr3=") {
		t.Errorf("query %q lacks StrAttr3=", rec.RawQuery)
	}
	wantForm := []string{"CustomContent", "InstanceName", "ProductId"}
	if got := slices.Sorted(maps.Keys(rec.Form)); !slices.Equal(got, wantForm) {
		t.Errorf("form keys = %v, want %v (unset fields must not be sent)", got, wantForm)
	}
	if got := businessQuery(t, rec); !maps.Equal(got, map[string]string{"StrAttr3": ""}) {
		t.Errorf("business query = %v", got)
	}
}

// TestRawAndOmit checks that Raw wins over typed fields, goes to the key's
// documented placement (unknown keys to the body), and that Omit removes keys
// even when Raw sets them.
func TestRawAndOmit(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, nil)
	_, err := c.UpdateImage(context.Background(), &UpdateImageRequest{
		InstanceName: "inst", ProductId: "p1", PicName: Ptr("n.jpg"),
		Attributes: Attributes{IntAttr: Ptr[int64](5), IntAttr3: Ptr[int64](3)},
		Raw:        map[string]string{"IntAttr": "abc", "IntAttr3": "3000000000", "Extra": "e", "PicName": "raw"},
		Omit:       []string{"InstanceName", "PicName"},
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := srv.last(t)
	if got, want := flat(rec.Form), map[string]string{"ProductId": "p1", "IntAttr": "abc", "Extra": "e"}; !maps.Equal(got, want) {
		t.Errorf("form = %v, want %v", got, want)
	}
	if got, want := businessQuery(t, rec), map[string]string{"IntAttr3": "3000000000"}; !maps.Equal(got, want) {
		t.Errorf("query = %v, want %v", got, want)
	}
}

// TestRawPicContent sends text that is not base64 as PicContent.
func TestRawPicContent(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, nil)
	_, err := c.AddImage(context.Background(), &AddImageRequest{InstanceName: "i", ProductId: "p", PicName: "n",
		PicContent: []byte{1}, Raw: map[string]string{"PicContent": "not base64!"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.last(t).Form.Get("PicContent"); got != "not base64!" {
		t.Errorf("PicContent = %q", got)
	}
}

// TestLargeIntegers sends int64 values outside int32 on purpose.
func TestLargeIntegers(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, nil)
	_, err := c.UpdateImage(context.Background(), &UpdateImageRequest{InstanceName: "i", ProductId: "p",
		Attributes: Attributes{IntAttr: Ptr[int64](-2147483649), IntAttr4: Ptr[int64](1 << 40)}})
	if err != nil {
		t.Fatal(err)
	}
	rec := srv.last(t)
	if rec.Form.Get("IntAttr") != "-2147483649" || rec.Query.Get("IntAttr4") != "1099511627776" {
		t.Errorf("IntAttr=%q IntAttr4=%q", rec.Form.Get("IntAttr"), rec.Query.Get("IntAttr4"))
	}
}
