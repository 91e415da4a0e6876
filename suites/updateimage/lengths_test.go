package updateimage_test

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"pgregory.net/rapid"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/generators"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/internal/rapidg"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// alphabets of the fixed-length table: multi-byte characters at the limit must pass, because the limits
// count characters, not bytes (ref §2.1).
var alphabets = map[string][]string{
	"ASCII":     {"a", "b", "c"},
	"CJK":       {"中", "文", "字"},
	"emoji":     {"😀", "🚀", "🧪"},
	"combining": {"e", "\u0301", "a", "\u0308"}, // each mark is its own code point
}

// fill returns exactly n characters (code points) cycling through the alphabet.
func fill(alphabet string, n int) string {
	chars := alphabets[alphabet]
	var b strings.Builder
	for i := range n {
		b.WriteString(chars[i%len(chars)])
	}
	return b.String()
}

func stringFieldEntries() []TableEntry {
	var out []TableEntry
	for _, f := range contract.Fields {
		if f.Kind != contract.KindString {
			continue
		}
		for _, a := range []string{"ASCII", "CJK", "emoji", "combining"} {
			out = append(out, Entry(fmt.Sprintf("%s of %d %s characters", f.Name, f.MaxChars, a), f.Name, a))
		}
	}
	return out
}

var _ = Describe("UpdateImage length limits", Label(harness.AreaLength), func() {
	DescribeTable("stores a string field at its limit exactly and rejects one character more without changing the image",
		func(ctx SpecContext, name, alphabet string) {
			f := field(name)
			img := addImage(ctx, tracker)
			at := fill(alphabet, f.MaxChars)
			_, err := update(ctx, target.Instance, img.Key, only(f, at, 0))
			Expect(err).To(harness.BeSuccess(), "ref §2.1: %s allows %d characters", f.Name, f.MaxChars)
			img.Want.set(f, at, 0)
			expectStored(ctx, target.Instance, img.Key, img.Want, "ref §2.1: the value at the limit reads back exactly")

			_, err = update(ctx, target.Instance, img.Key, only(f, fill(alphabet, f.MaxChars+1), 0))
			Expect(err).To(harness.HaveContractError(f.Invalid), "ref §2.4: %s of %d characters", f.Name, f.MaxChars+1)
			expectStored(ctx, target.Instance, img.Key, img.Want, "a rejected update changes nothing")
		}, stringFieldEntries())

	DescribeTable("accepts every int32 extreme and rejects values outside int32 or not numeric without changing the image",
		func(ctx SpecContext, name string) {
			f := field(name)
			img := addImage(ctx, tracker)
			for _, v := range []int64{math.MinInt32, math.MaxInt32} {
				_, err := update(ctx, target.Instance, img.Key, only(f, "", v))
				Expect(err).To(harness.BeSuccess(), "ref §2.1: %s is an int32, %d fits", f.Name, v)
				img.Want.set(f, "", int32(v))
				expectStored(ctx, target.Instance, img.Key, img.Want, "ref §2.1: the int32 extreme reads back")
			}
			for _, v := range []int64{math.MaxInt32 + 1, math.MinInt32 - 1} {
				_, err := update(ctx, target.Instance, img.Key, only(f, "", v))
				Expect(err).To(harness.HaveContractError(f.Invalid), "ref §2.4: %s=%d is outside int32", f.Name, v)
			}
			for _, raw := range []string{"abc", "1.5", "0x10"} {
				_, err := api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: target.Instance,
					ProductId: img.ProductId, PicName: ptr(img.PicName), Raw: map[string]string{f.Name: raw}})
				Expect(err).To(harness.HaveContractError(f.Invalid), "ref §2.4: %s=%q is not an integer", f.Name, raw)
			}
			expectStored(ctx, target.Instance, img.Key, img.Want, "rejected updates change nothing")
		},
		Entry("IntAttr", "IntAttr"), Entry("IntAttr2", "IntAttr2"),
		Entry("IntAttr3 (sent in the query)", "IntAttr3"), Entry("IntAttr4 (sent in the query)", "IntAttr4"))

	DescribeTable("accepts a key at its limit and rejects one character more with the key's own code",
		func(ctx SpecContext, keyName string, invalid contract.Error) {
			productID, picName := tracker.NewProductID(), "pic.jpg"
			long := func(base string, n int) string { return base + fill("CJK", n-utf8.RuneCountInString(base)) }
			if keyName == "ProductId" {
				productID = long(productID, contract.MaxKey)
			} else {
				picName = long(picName, contract.MaxKey)
			}
			img := addImageAs(ctx, tracker, productID, picName, baseline())
			next := stored{CustomContent: "at the key limit", Int: img.Want.Int, Str: img.Want.Str}
			_, err := update(ctx, target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr(next.CustomContent)})
			Expect(err).To(harness.BeSuccess(), "ref §2.1: %s of %d characters", keyName, contract.MaxKey)
			expectStored(ctx, target.Instance, img.Key, next, "the update through a key at the limit applies")

			over := img.Key
			if keyName == "ProductId" {
				over.ProductId += "x"
			} else {
				over.PicName += "x"
			}
			_, err = update(ctx, target.Instance, over, imagesearch.Attributes{CustomContent: ptr("over")})
			Expect(err).To(harness.HaveContractError(invalid), "ref §2.4: %s of %d characters", keyName, contract.MaxKey+1)
			expectStored(ctx, target.Instance, img.Key, next, "a rejected update changes nothing")
		},
		Entry("ProductId", "ProductId", contract.InvalidProductId),
		Entry("PicName", "PicName", contract.InvalidPicName))

	// No instance can have such a name, so this checks the unknown-instance answer for an over-long name;
	// a name at the limit would need an instance created with it, which the suite cannot do.
	It("answers an InstanceName longer than 20 characters with InvalidInstance and changes nothing", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		_, err := update(ctx, strings.Repeat("i", contract.MaxInstanceName+1), img.Key,
			imagesearch.Attributes{CustomContent: ptr("never")})
		Expect(err).To(harness.HaveContractError(contract.InvalidInstance), "ref §2.1, §1.9: InstanceName ≤ 20")
		expectStored(ctx, target.Instance, img.Key, img.Want, "nothing changed")
	})

	It("accepts a string field iff its length in characters is within the limit, for random lengths and Unicode",
		Label(harness.LabelProperty), func(ctx SpecContext) {
			img := addImage(ctx, tracker)
			want := img.Want
			rapidg.Check(ctx, func(t *rapid.T) {
				g := NewWithT(t)
				fields := stringFields()
				f := rapid.SampledFrom(fields).Draw(t, "field")
				alpha := rapid.SampledFrom([]generators.Alphabet{generators.ASCII, generators.CJK,
					generators.Emoji, generators.Combining, generators.Mixed}).Draw(t, "alphabet")
				v := generators.AroundLimit(f.MaxChars, alpha).Draw(t, "value")
				_, err := update(ctx, target.Instance, img.Key, only(f, v, 0))
				if utf8.RuneCountInString(v) <= f.MaxChars {
					g.Expect(err).To(harness.BeSuccess(), "ref §2.1: %d ≤ %d characters", utf8.RuneCountInString(v), f.MaxChars)
					want.set(f, v, 0)
				} else {
					g.Expect(err).To(harness.HaveContractError(f.Invalid), "ref §2.4: %d > %d characters", utf8.RuneCountInString(v), f.MaxChars)
				}
				got, exists := readBack(ctx, target.Instance, img.Key)
				g.Expect(exists).To(BeTrue())
				g.Expect(got).To(Equal(want), "the stored state follows exactly the accepted updates")
			})
		})
})

func stringFields() []contract.Field {
	var out []contract.Field
	for _, f := range contract.Fields {
		if f.Kind == contract.KindString {
			out = append(out, f)
		}
	}
	return out
}
