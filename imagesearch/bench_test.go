package imagesearch

import (
	"context"
	"testing"
)

// BenchmarkUpdateImage measures one signed UpdateImage round trip against
// the loopback verifying server (client overhead plus server verification).
func BenchmarkUpdateImage(b *testing.B) {
	srv := newFakeServer(b, fixed(200, okBody))
	c := newClient(b, srv.URL, nil)
	req := &UpdateImageRequest{InstanceName: "i", ProductId: "p", PicName: Ptr("n"), Attributes: allAttributes()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.UpdateImage(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateImageParallel shows the SDK-client pool scaling across
// goroutines.
func BenchmarkUpdateImageParallel(b *testing.B) {
	srv := newFakeServer(b, fixed(200, okBody))
	c := newClient(b, srv.URL, nil)
	req := &UpdateImageRequest{InstanceName: "i", ProductId: "p", PicName: Ptr("n"), Attributes: allAttributes()}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.UpdateImage(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRedact measures masking a typical transport error text.
func BenchmarkRedact(b *testing.B) {
	s := `Post "http://127.0.0.1:1/?AccessKeyId=LTAIx&Action=UpdateImage&Format=JSON&RegionId=ap-southeast-1&Signature=8FVf%2Bg2%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=a79f6cfef079e607504ea65f59162f72&SignatureType=&SignatureVersion=1.0&Timestamp=2026-11-28T07%3A10%3A01Z&Version=2020-12-14": dial tcp 127.0.0.1:1: connect: connection refused`
	b.ReportAllocs()
	for b.Loop() {
		Redact(s)
	}
}
