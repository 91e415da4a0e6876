// Package imagesearch is a typed client for the Alibaba Cloud Image Search
// OpenAPI, version 2020-12-14, built on the v1 Go SDK's CommonRequest.
//
// The client is meant for conformance testing, so it favours exactness over
// convenience:
//
//   - request structs use pointer fields, so "not sent" differs from "sent
//     empty" (an empty string goes on the wire as `k=`);
//   - every request can carry Raw overrides and an Omit list, to send values
//     of the wrong type or to leave out required parameters;
//   - each parameter travels in the URL query or the form body exactly as the
//     vendor SDK places it (see the placement table in placement.go);
//   - 2xx bodies are decoded strictly with encoding/json, and the raw body is
//     always kept so callers can check JSON types and keys with DecodeMap;
//   - every service-level failure is an *APIError, whether it came as a non-2xx
//     status or as a 2xx body with Success:false or a non-zero Code.
//
// A Client is safe for concurrent use: it keeps a pool of SDK clients because a
// single v1 sdk.Client is not goroutine-safe.
package imagesearch
