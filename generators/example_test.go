package generators_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/generators"
)

// A model-based test replays a drawn operation sequence against the system under test and an in-memory
// model of the stored attributes, comparing the two after every step.
func ExampleOps() {
	var t *testing.T // the test's *testing.T
	rapid.Check(t, func(t *rapid.T) {
		keys := generators.KeySpace(4).Draw(t, "keys")
		model := map[generators.Key]generators.Full{}
		for _, op := range generators.Ops(keys, 30).Draw(t, "ops") {
			switch op.Kind {
			case generators.OpAdd:
				var f generators.Full
				op.Attrs.Apply(&f)
				model[op.Key] = f // AddImage replaces an existing image (ref §3)
			case generators.OpUpdate:
				if f, ok := model[op.Key]; ok {
					op.Attrs.Apply(&f)
					model[op.Key] = f
				}
			case generators.OpDelete:
				delete(model, op.Key)
			}
			// ... send op to the system under test and compare its state with model ...
		}
	})
}
