// Package generators holds the rapid generators of the UpdateImage conformance suite: strings by alphabet
// and around a documented length limit (ref §2.1, §3), int32 edge values for IntAttr* (ref §2.1), attribute
// sets and the stored state they update (ref §2.3), and valid and invalid pictures built on package
// fixtures (ref §1.5).
//
// Every generator is deterministic given rapid's draws: none reads the clock, a global random source or
// the environment, so a failing case replays from rapid's seed or fail file. Lengths are always counted in
// Unicode code points (utf8.RuneCountInString), as the contract's limits are (package contract).
//
// Generated text never contains NUL or any other C0 control character (U+0000–U+001F) nor DEL (U+007F):
// those do not survive every transport a request can take (form bodies, query strings, SDK JSON
// handling, logs), so a difference there would test the transport rather than the service.
//
// Generators panic on impossible arguments (a negative limit, a Forbidden string of length zero): those are
// bugs in the calling test, not generated cases.
package generators
