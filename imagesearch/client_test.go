package imagesearch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestNewValidation rejects bad configurations without echoing the secret.
func TestNewValidation(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"empty endpoint", func(c *Config) { c.Endpoint = "" }, "scheme"},
		{"ftp scheme", func(c *Config) { c.Endpoint = "ftp://127.0.0.1:1" }, "scheme"},
		{"no host", func(c *Config) { c.Endpoint = "http://" }, "host"},
		{"port only", func(c *Config) { c.Endpoint = "http://:8780" }, "host"},
		{"path", func(c *Config) { c.Endpoint = "http://127.0.0.1:1/api" }, "path"},
		{"query", func(c *Config) { c.Endpoint = "http://127.0.0.1:1/?a=b" }, "query"},
		{"user info", func(c *Config) { c.Endpoint = "http://user:pw-9x@127.0.0.1:1" }, "user info"},
		{"secret in endpoint", func(c *Config) { c.Endpoint = "http://" + testSecret + "@127.0.0.1:1" }, "***"},
		{"unparsable", func(c *Config) { c.Endpoint = "http://[::1" }, "invalid Endpoint"},
		{"no key id", func(c *Config) { c.AccessKeyID = "" }, "required"},
		{"no secret", func(c *Config) { c.AccessKeySecret = "" }, "required"},
		{"negative timeout", func(c *Config) { c.Timeout = -time.Second }, "Timeout"},
		{"bad region", func(c *Config) { c.RegionID = "ap south/1" }, "region"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Endpoint: "http://127.0.0.1:1", AccessKeyID: testAK, AccessKeySecret: testSecret}
			tc.mod(&cfg)
			c, err := New(cfg)
			if err == nil {
				t.Fatalf("New accepted %+v", c)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to mention %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "pw-9x") {
				t.Errorf("err leaks the secret: %v", err)
			}
		})
	}
}

// TestEndpointNormalised checks scheme case, trailing slash and IPv6 hosts.
func TestEndpointNormalised(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://127.0.0.1:8780/":                          "http://127.0.0.1:8780",
		"https://imagesearch.ap-southeast-1.aliyuncs.com": "https://imagesearch.ap-southeast-1.aliyuncs.com",
		"http://[::1]:9":                                  "http://[::1]:9",
	} {
		if got := newClient(t, in, nil).Endpoint(); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRegionIDSent checks that a configured region reaches the wire.
func TestRegionIDSent(t *testing.T) {
	srv := newFakeServer(t, fixed(200, okBody))
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.RegionID = "cn-shanghai" })
	if _, err := callDetail(c); err != nil {
		t.Fatal(err)
	}
	if got := srv.last(t).Query.Get("RegionId"); got != "cn-shanghai" {
		t.Errorf("RegionId = %q", got)
	}
}

// TestOnCall records action, status, RequestId and error per sent call.
func TestOnCall(t *testing.T) {
	srv := newFakeServer(t, func(rec recorded) (int, string) {
		if rec.action() == ActionDetail {
			return 404, `{"RequestId":"E-9","Code":"InvalidInstance","Message":"no such instance"}`
		}
		return 200, `{"RequestId":"OK-1","Code":0,"Message":"success","Success":true}`
	})
	var got []CallInfo
	c := newClient(t, srv.URL, func(cfg *Config) { cfg.OnCall = func(ci CallInfo) { got = append(got, ci) } })
	if _, err := callUpdate(c); err != nil {
		t.Fatal(err)
	}
	_, detailErr := callDetail(c)
	if len(got) != 2 {
		t.Fatalf("OnCall ran %d times, want 2", len(got))
	}
	want := []CallInfo{
		{Action: ActionUpdateImage, HTTPStatus: 200, RequestId: "OK-1"},
		{Action: ActionDetail, HTTPStatus: 404, RequestId: "E-9", Err: detailErr},
	}
	for i := range want {
		g := got[i]
		if g.Action != want[i].Action || g.HTTPStatus != want[i].HTTPStatus || g.RequestId != want[i].RequestId || g.Err != want[i].Err || g.Duration <= 0 {
			t.Errorf("call %d = %+v, want %+v", i, g, want[i])
		}
	}
}

// TestConcurrentUse drives one Client from 16 goroutines with every
// operation; run under -race it proves the pool keeps SDK clients apart,
// and the server's nonce check proves every request was signed afresh.
func TestConcurrentUse(t *testing.T) {
	const goroutines, perG = 16, 14
	srv := newFakeServer(t, func(rec recorded) (int, string) {
		return 200, fmt.Sprintf(`{"RequestId":%q,"Code":0,"Message":"success","Msg":"success","Success":true}`, rec.Form.Get("ProductId")+rec.Query.Get("InstanceName"))
	})
	var mu sync.Mutex
	counts := map[string]int{}
	ids := map[string]bool{}
	c := newClient(t, srv.URL, func(cfg *Config) {
		cfg.OnCall = func(ci CallInfo) {
			mu.Lock()
			defer mu.Unlock()
			counts[ci.Action]++
			ids[ci.RequestId] = true
		}
	})
	ops := []func(ctx context.Context, id string) error{
		func(ctx context.Context, id string) error {
			_, err := c.UpdateImage(ctx, &UpdateImageRequest{InstanceName: "i", ProductId: id, Attributes: Attributes{IntAttr3: Ptr[int64](3)}})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.AddImage(ctx, &AddImageRequest{InstanceName: "i", ProductId: id, PicName: "n", PicContent: []byte(id)})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.DeleteImage(ctx, &DeleteImageRequest{InstanceName: "i", ProductId: &id})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.SearchImageByPic(ctx, &SearchImageByPicRequest{InstanceName: "i", PicContent: []byte{1}, Raw: map[string]string{"ProductId": id}})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.SearchImageByName(ctx, &SearchImageByNameRequest{InstanceName: "i", ProductId: id, PicName: "n"})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.CheckImageExists(ctx, &CheckImageExistsRequest{InstanceName: "i", ProductId: id, PicName: "n"})
			return err
		},
		func(ctx context.Context, id string) error {
			_, err := c.Detail(ctx, &DetailRequest{InstanceName: id})
			return err
		},
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*perG)
	for g := range goroutines {
		wg.Go(func() {
			for i := range perG {
				id := fmt.Sprintf("g%d-%d", g, i)
				if err := ops[(g+i)%len(ops)](context.Background(), id); err != nil {
					errs <- fmt.Errorf("%s: %w", id, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != goroutines*perG || len(srv.requests()) != total || len(ids) != total {
		t.Errorf("OnCall total %d, server saw %d, distinct RequestIds %d; want %d", total, len(srv.requests()), len(ids), goroutines*perG)
	}
	if want := goroutines * perG / len(ops); counts[ActionDetail] != want || counts[ActionUpdateImage] != want {
		t.Errorf("per-action counts %v, want %d each", counts, want)
	}
}

// TestErrorsAsThroughWrapping checks that callers can wrap our errors.
func TestErrorsAsThroughWrapping(t *testing.T) {
	srv := newFakeServer(t, fixed(400, `{"RequestId":"W","Code":"InvalidProductId","Message":"bad"}`))
	_, err := callUpdate(newClient(t, srv.URL, nil))
	wrapped := fmt.Errorf("step 3: %w", err)
	var ae *APIError
	if !errors.As(wrapped, &ae) || ae.Code != "InvalidProductId" {
		t.Fatalf("errors.As through wrapping failed: %v", wrapped)
	}
}
