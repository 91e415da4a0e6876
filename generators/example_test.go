package generators_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/generators"
)

// A model-based test keeps the stored attributes of each image as a Full and applies each drawn update to
// it, then compares the target's state with the model.
func ExampleAttrs_Apply() {
	var t *testing.T // the test's *testing.T
	rapid.Check(t, func(t *rapid.T) {
		var model generators.Full
		generators.FullAttrs().Draw(t, "add").Apply(&model) // AddImage sets every field (ref §3)
		update := generators.PartialAttrs().Draw(t, "update")
		update.Apply(&model) // UpdateImage changes the fields it sends (ref §2.3)
		// ... send the update to the target and compare what it stores with model ...
	})
}
