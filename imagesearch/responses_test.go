package imagesearch

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// Response examples from the reference (ref §2.2, §3, §4, §5.1, §5.5, §6.1).
const (
	updateExample = `{"Message": "success", "RequestId": "E0845DE6-52AF-4B50-9F15-51ED4044E6AB", "Code": 0, "Success": true}`
	addExample    = `{"Code": 0, "Message": "success", "RequestId": "E0845DE6-52AF-4B50-9F15-51ED4044E6AB", "Success": true,
  "PicInfo": {"CategoryId": 88888888, "Region": "94,691,206,650",
    "MultiRegion": [{"Region": "94,691,206,650"}], "AllCategories": [{"Id": 88888888, "Name": "Other"}]}}`
	deleteExample = `{"Code": 0, "Message": "success", "RequestId": "0703956F-9BCC-48FA-99F7-96C0BF449C69", "Success": true,
 "Data": {"PicNames": ["xxx.jpg"]}}`
	searchExample = `{"RequestId": "B3137727-7D6E-488C-BA21-0E034C38A879", "Success": true, "Code": 0, "Msg": "success",
  "Head": {"DocsFound": 10, "DocsReturn": 10000, "SearchTime": 95},
  "PicInfo": {"CategoryId": 88888888, "Region": "280,486,232,351",
    "MultiRegion": [{"Region": "280,486,232,351"}], "AllCategories": [{"Id": 88888888, "Name": "other"}]},
  "Auctions": [
    {"ProductId": "2092061_1", "PicName": "2092061_1.jpg", "CategoryId": 88888888,
     "CustomContent": "zidingyi", "Score": 1, "SortExprValues": "5.37633353624177e+24;0",
     "IntAttr": 2, "IntAttr2": 20, "IntAttr3": 2, "IntAttr4": 2,
     "StrAttr": "test", "StrAttr2": "test", "StrAttr3": "test", "StrAttr4": "test"}]}`
	checkExample = `{"RequestId": "C1", "Success": true, "Code": 0, "Msg": "success", "Exists": true,
  "Auctions": {"ProductId": "p1", "PicName": "n.jpg", "CategoryId": 3, "CustomContent": "cc",
    "IntAttr": 1, "IntAttr2": 0, "IntAttr3": -7, "IntAttr4": 2147483647,
    "StrAttr": "a", "StrAttr2": "", "StrAttr3": "c", "StrAttr4": "d"}}`
	detailExample = `{"RequestId": "36C43E96-8F68-44AA-B1AF-B1F7AB94A6C1", "Success": true,
 "Instance": {"Name": "imagesearchName", "Region": "cn-shanghai", "Capacity": 10, "Qps": 1,
              "ServiceType": 0, "TotalCount": 10063,
              "UtcCreate": "1620382716000", "UtcExpireTime": "1623081600000"}}`
)

// opCall invokes one operation with a minimal request and returns the
// response as an interface plus the error.
type opCall func(*Client) (any, error)

var (
	callUpdate = func(c *Client) (any, error) {
		return c.UpdateImage(context.Background(), &UpdateImageRequest{InstanceName: "i", ProductId: "p"})
	}
	callAdd = func(c *Client) (any, error) {
		return c.AddImage(context.Background(), &AddImageRequest{InstanceName: "i", ProductId: "p", PicName: "n", PicContent: []byte{1}})
	}
	callDelete = func(c *Client) (any, error) {
		return c.DeleteImage(context.Background(), &DeleteImageRequest{InstanceName: "i", ProductId: Ptr("p")})
	}
	callByPic = func(c *Client) (any, error) {
		return c.SearchImageByPic(context.Background(), &SearchImageByPicRequest{InstanceName: "i", PicContent: []byte{1}})
	}
	callByName = func(c *Client) (any, error) {
		return c.SearchImageByName(context.Background(), &SearchImageByNameRequest{InstanceName: "i", ProductId: "p", PicName: "n"})
	}
	callCheck = func(c *Client) (any, error) {
		return c.CheckImageExists(context.Background(), &CheckImageExistsRequest{InstanceName: "i", ProductId: "p", PicName: "n"})
	}
	callDetail = func(c *Client) (any, error) {
		return c.Detail(context.Background(), &DetailRequest{InstanceName: "i"})
	}
)

// TestDecodeExamples decodes every reference example and compares the whole
// struct, including HTTPStatus and Raw.
func TestDecodeExamples(t *testing.T) {
	auction := Auction{ProductId: "2092061_1", PicName: "2092061_1.jpg", CategoryId: 88888888, CustomContent: "zidingyi",
		Score: 1, SortExprValues: "5.37633353624177e+24;0", IntAttr: 2, IntAttr2: 20, IntAttr3: 2, IntAttr4: 2,
		StrAttr: "test", StrAttr2: "test", StrAttr3: "test", StrAttr4: "test"}
	search := &SearchResponse{RequestId: "B3137727-7D6E-488C-BA21-0E034C38A879", Success: true, Code: 0, Msg: "success",
		Head: Head{DocsFound: 10, DocsReturn: 10000, SearchTime: 95},
		PicInfo: PicInfo{CategoryId: 88888888, Region: "280,486,232,351", MultiRegion: []MultiRegion{{Region: "280,486,232,351"}},
			AllCategories: []Category{{Id: 88888888, Name: "other"}}},
		Auctions: []Auction{auction}}
	cases := []struct {
		name string
		body string
		call opCall
		want any
	}{
		{"UpdateImage", updateExample, callUpdate, &UpdateImageResponse{RequestId: "E0845DE6-52AF-4B50-9F15-51ED4044E6AB", Message: "success", Success: true}},
		{"AddImage", addExample, callAdd, &AddImageResponse{RequestId: "E0845DE6-52AF-4B50-9F15-51ED4044E6AB", Message: "success", Success: true,
			PicInfo: PicInfo{CategoryId: 88888888, Region: "94,691,206,650", MultiRegion: []MultiRegion{{Region: "94,691,206,650"}},
				AllCategories: []Category{{Id: 88888888, Name: "Other"}}}}},
		{"DeleteImage", deleteExample, callDelete, &DeleteImageResponse{RequestId: "0703956F-9BCC-48FA-99F7-96C0BF449C69", Message: "success",
			Success: true, Data: DeleteData{PicNames: []string{"xxx.jpg"}}}},
		{"SearchImageByPic", searchExample, callByPic, search},
		{"SearchImageByName", searchExample, callByName, search},
		{"CheckImageExists", checkExample, callCheck, &CheckImageExistsResponse{RequestId: "C1", Success: true, Msg: "success", Exists: true,
			Auctions: Auction{ProductId: "p1", PicName: "n.jpg", CategoryId: 3, CustomContent: "cc", IntAttr: 1, IntAttr3: -7, IntAttr4: 2147483647,
				StrAttr: "a", StrAttr3: "c", StrAttr4: "d"}}},
		{"Detail", detailExample, callDetail, &DetailResponse{RequestId: "36C43E96-8F68-44AA-B1AF-B1F7AB94A6C1", Success: true,
			Instance: Instance{Name: "imagesearchName", Region: "cn-shanghai", Capacity: 10, Qps: 1, TotalCount: 10063,
				UtcCreate: "1620382716000", UtcExpireTime: "1623081600000"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t, fixed(200, tc.body))
			got, err := tc.call(newClient(t, srv.URL, nil))
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			// Expected HTTPInfo: status 200 and the exact body.
			reflect.ValueOf(tc.want).Elem().FieldByName("HTTPInfo").Set(reflect.ValueOf(HTTPInfo{HTTPStatus: 200, Raw: []byte(tc.body)}))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decoded\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestDecodeTypeMismatch checks that a 2xx body whose types differ from the
// contract is an error naming the field, not an APIError, and that the
// response with the raw body is still returned.
func TestDecodeTypeMismatch(t *testing.T) {
	cases := []struct {
		name, body string
		call       opCall
		wantInErr  string
	}{
		{"string Code", `{"RequestId":"R","Code":"0","Message":"success","Success":true}`, callUpdate, "field Code"},
		{"string Success", `{"RequestId":"R","Code":0,"Message":"success","Success":"true"}`, callUpdate, "field Success"},
		{"IntAttr beyond int32", strings.Replace(searchExample, `"IntAttr": 2,`, `"IntAttr": 3000000000,`, 1), callByPic, "field Auctions.IntAttr"},
		{"Auctions array in CheckImageExists", `{"RequestId":"R","Success":true,"Code":0,"Msg":"","Exists":true,"Auctions":[]}`, callCheck, "field Auctions"},
		{"numeric UtcCreate", strings.Replace(detailExample, `"1620382716000"`, `1620382716000`, 1), callDetail, "field Instance.UtcCreate"},
		{"string TotalCount", strings.Replace(detailExample, `10063`, `"10063"`, 1), callDetail, "field Instance.TotalCount"},
		{"not JSON", `<html>ok</html>`, callUpdate, "not a JSON object"},
		{"empty body", ``, callDetail, "not a JSON object"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFakeServer(t, fixed(200, tc.body))
			resp, err := tc.call(newClient(t, srv.URL, nil))
			if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.wantInErr)
			}
			var ae *APIError
			if errors.As(err, &ae) {
				t.Errorf("a decode failure must not be an APIError: %v", err)
			}
			info := reflect.ValueOf(resp).Elem().FieldByName("HTTPInfo").Interface().(HTTPInfo)
			if info.HTTPStatus != 200 || string(info.Raw) != tc.body {
				t.Errorf("HTTPInfo = %d %q", info.HTTPStatus, info.Raw)
			}
		})
	}
}

// TestDecodeMap keeps JSON types distinguishable.
func TestDecodeMap(t *testing.T) {
	m, err := DecodeMap([]byte(`{"Code":0,"Score":1.5,"S":"1","B":true,"N":null,"A":[1],"O":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]any{"Code": json.Number("0"), "Score": json.Number("1.5"), "S": "1", "B": true, "N": nil,
		"A": []any{json.Number("1")}, "O": map[string]any{}}
	if !reflect.DeepEqual(m, checks) {
		t.Errorf("DecodeMap = %#v", m)
	}
	for _, bad := range []string{``, `[]`, `{"a":1} {"b":2}`, `{"a":`} {
		if _, err := DecodeMap([]byte(bad)); err == nil {
			t.Errorf("DecodeMap(%q) accepted", bad)
		}
	}
}
