// Package contract holds the facts of the Image Search 2020-12-14 contract that both the emulator and the
// conformance suite need: documented error codes with their HTTP statuses and literal messages, parameter
// limits, attribute fields, QPS limits and the two profiles for the places where the vendor's documents
// disagree. Every value cites its section of the contract reference (imagesearch-api.md, "ref §N").
//
// The data lives here once so that the emulator and the suite cannot drift apart on a literal string; the
// behaviour built on top of it lives in each of them separately.
package contract
