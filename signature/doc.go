// Package signature signs and verifies Alibaba Cloud POP (OpenAPI gateway) requests with the two
// schemes the official SDKs use:
//
//   - V1, the RPC "SignatureVersion 1.0" scheme (HMAC-SHA1 over the sorted query and form
//     parameters, signature in the Signature parameter) used by the v1 Go SDK
//     (github.com/aliyun/alibaba-cloud-sdk-go) and by the Tea SDKs configured with
//     SignatureAlgorithm "v2";
//   - V3, ACS3-HMAC-SHA256 (canonical request over method, path, query, selected headers and
//     the body hash, signature in the Authorization header), the default of the Tea SDKs.
//
// Verify detects the scheme of a request and checks it against a Credentials store; the errors
// it returns carry the gateway error codes of the OpenAPI gateway (imagesearch-api.md §8.3).
// Clock skew and nonce reuse are checked separately by ReplayGuard, so that Verify stays a pure
// function of the request.
package signature
