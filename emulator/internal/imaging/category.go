package imaging

import "hash/fnv"

// Categories is the CategoryId enum of the search operations (ref §1.8).
var Categories = []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22, 88888888}

// PredictCategory stands in for the service's category classifier (ref §1.8:
// product search predicts a category when none is given). It is not a
// classifier: it hashes a coarse colour signature (the two dominant histogram
// bins) onto the enum, so the answer is deterministic and usually stable under
// re-encoding, but carries no meaning.
func PredictCategory(d Descriptor) int32 {
	first, second := 0, -1
	for i, v := range d.Hist {
		switch {
		case v > d.Hist[first]:
			first, second = i, first
		case i != first && (second < 0 || v > d.Hist[second]):
			second = i
		}
	}
	// The pair is unordered so two bins of nearly equal weight that swap
	// places after re-encoding still give the same category.
	h := fnv.New32a()
	h.Write([]byte{byte(min(first, second)), byte(max(first, second))})
	return Categories[h.Sum32()%uint32(len(Categories))]
}
