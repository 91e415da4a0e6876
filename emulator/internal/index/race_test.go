//go:build race

package index

// raceEnabled shrinks the heavy tests: the race detector slows image
// decoding about tenfold.
const raceEnabled = true
