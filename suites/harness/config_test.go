package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaultsToTheEmbeddedEmulator(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Endpoint != "" || c.Profile != contract.Intl2025 || c.VisibilityTimeout != 10*time.Second {
		t.Errorf("defaults = %+v", c)
	}
	if !validRunID(c.RunID) || !strings.HasPrefix(c.Prefix(), "cf-"+c.RunID+"-") {
		t.Errorf("run id %q / prefix %q", c.RunID, c.Prefix())
	}
}

func TestLiveEndpointNeedsExplicitOptIn(t *testing.T) {
	live := map[string]string{EnvEndpoint: "https://imagesearch.ap-southeast-1.aliyuncs.com", EnvInstance: "x",
		EnvAccessKeyID: "LTAIkey", EnvAccessKeySecret: "s3cr3t"}
	_, err := Load(env(live))
	if err == nil || !strings.Contains(err.Error(), EnvAllowLive) {
		t.Fatalf("a live endpoint without %s was accepted (err %v)", EnvAllowLive, err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Error("the refusal prints the secret")
	}
	live[EnvAllowLive] = "1"
	if _, err := Load(env(live)); err != nil {
		t.Fatalf("opted-in live endpoint refused: %v", err)
	}
}

func TestLoopbackEndpointsNeedNoOptIn(t *testing.T) {
	for _, ep := range []string{"http://127.0.0.1:8780", "http://localhost:1", "http://[::1]:9"} {
		_, err := Load(env(map[string]string{EnvEndpoint: ep, EnvInstance: "i", EnvAccessKeyID: "a", EnvAccessKeySecret: "b"}))
		if err != nil {
			t.Errorf("%s: %v", ep, err)
		}
	}
	if IsLoopback("http://10.0.0.1:80") || IsLoopback("https://example.com") {
		t.Error("non-loopback host taken for loopback")
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	for name, m := range map[string]map[string]string{
		"profile":    {EnvProfile: "cn-2025"},
		"timeout":    {EnvVisibilityTimeout: "-1s"},
		"max calls":  {EnvMaxCalls: "many"},
		"run id":     {EnvRunID: "UPPER"},
		"no creds":   {EnvEndpoint: "http://127.0.0.1:1", EnvInstance: "i"},
		"bad scheme": {EnvEndpoint: "ftp://127.0.0.1", EnvInstance: "i", EnvAccessKeyID: "a", EnvAccessKeySecret: "b"},
	} {
		if _, err := Load(env(m)); err == nil {
			t.Errorf("%s: accepted %v", name, m)
		}
	}
}

func TestRedactedNeverShowsTheSecretAndMasksTheKeyID(t *testing.T) {
	c := Config{Endpoint: "http://127.0.0.1:1", Instance: "i", AccessKeyID: "LTAI5tAbCdEfGh", AccessKeySecret: "topsecretvalue", RunID: "abcd"}
	s := c.Redacted()
	if strings.Contains(s, "topsecretvalue") || strings.Contains(s, "LTAI5tAbCdEfGh") {
		t.Errorf("Redacted() leaks credentials: %s", s)
	}
	if !strings.Contains(s, "LTAI**********") {
		t.Errorf("Redacted() should show a masked key id: %s", s)
	}
}

func TestScanForSecretFindsRawAndEscapedSecrets(t *testing.T) {
	dir := t.TempDir()
	secret := "s3cr3t+/="
	if err := ScanForSecret(dir, secret, "LTAIkeyid"); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"x " + secret + " y", "Signature=abc&k=s3cr3t%2B%2F%3D", "AccessKeyId=LTAIkeyid"} {
		if err := os.WriteFile(filepath.Join(dir, "r.json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if ScanForSecret(dir, secret, "LTAIkeyid") == nil {
			t.Errorf("secret in %q not found", content)
		}
	}
}
