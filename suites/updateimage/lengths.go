package updateimage

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf16"
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

// alphabets of the fixed-length specs. ASCII, CJK and combining marks lie in the Basic Multilingual Plane,
// where code points and UTF-16 code units agree, so their limits are documented under every allowed reading
// (ref §2.1); emoji lie outside it, and how they count is an open point (ref §10 #9).
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

// bmpAlphabets are the fixed alphabets whose limits are documented under every reading.
var bmpAlphabets = []string{"ASCII", "CJK", "combining"}

func stringFieldEntries() []TableEntry {
	var out []TableEntry
	for _, f := range stringFields() {
		out = append(out, Entry(fmt.Sprintf("%s of %d ASCII, CJK and combining characters", f.Name, f.MaxChars), f.Name))
	}
	return out
}

// overKey is a key of n characters under the run prefix.
func overKey(base string, n int) string { return base + fill("CJK", n-utf8.RuneCountInString(base)) }

// longKey returns k with the named key (ProductId or PicName) lengthened to n characters.
func longKey(k harness.Key, keyName string, n int) harness.Key {
	if keyName == "ProductId" {
		k.ProductId = overKey(k.ProductId, n)
	} else {
		k.PicName = overKey(k.PicName, n)
	}
	return k
}

func (s *suite) lengthSpecs() {
	Describe("UpdateImage length limits", Label(harness.AreaLength), func() {
		DescribeTable("stores a string field at its limit exactly and refuses one character more without changing the image",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§2.4"),
			func(ctx SpecContext, name string) {
				f := field(name)
				img := s.addImage(ctx, s.tracker)
				for _, alphabet := range bmpAlphabets {
					at := fill(alphabet, f.MaxChars)
					_, err := s.update(ctx, s.target.Instance, img.Key, only(f, at, 0))
					Expect(err).To(harness.BeSuccess(), "ref §2.1: %s allows %d %s characters", f.Name, f.MaxChars, alphabet)
					var sent generators.Full
					sent.Set(f, at, 0)
					s.settle(ctx, s.target.Instance, &img, sent, f)

					_, err = s.update(ctx, s.target.Instance, img.Key, only(f, fill(alphabet, f.MaxChars+1), 0))
					Expect(err).To(refusedAs(f), "ref §2.4: %s of %d %s characters", f.Name, f.MaxChars+1, alphabet)
					s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "a rejected update changes nothing")
				}
			}, stringFieldEntries())

		It("counts a character outside the BMP (an emoji) as one character", Label(harness.FootingReading),
			harness.Ref("§10 #9", "§2.1"), func(ctx SpecContext) {
				f := field("StrAttr")
				img := s.addImage(ctx, s.tracker)
				at := fill("emoji", f.MaxChars)
				_, err := s.update(ctx, s.target.Instance, img.Key, only(f, at, 0))
				if err == nil {
					var sent generators.Full
					sent.Set(f, at, 0)
					s.settle(ctx, s.target.Instance, &img, sent, f)
					s.verdicts.Read(contract.PointLengthUnit, "code-points")
					return
				}
				Expect(err).To(refusedAs(f), "ref §2.4: %d emoji are %d UTF-16 code units", f.MaxChars, len(utf16.Encode([]rune(at))))
				half := fill("emoji", f.MaxChars/2) // exactly the limit in UTF-16 code units
				_, err = s.update(ctx, s.target.Instance, img.Key, only(f, half, 0))
				Expect(err).To(harness.BeSuccess(), "a target counting UTF-16 code units accepts %d emoji", f.MaxChars/2)
				var sent generators.Full
				sent.Set(f, half, 0)
				s.settle(ctx, s.target.Instance, &img, sent, f)
				s.verdicts.Read(contract.PointLengthUnit, "utf16")
			})

		DescribeTable("accepts every int32 extreme and refuses values outside int32 or not numeric without changing the image",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§2.4"),
			func(ctx SpecContext, name string) {
				f := field(name)
				img := s.addImage(ctx, s.tracker)
				for _, v := range []int64{math.MinInt32, math.MaxInt32} {
					_, err := s.update(ctx, s.target.Instance, img.Key, only(f, "", v))
					Expect(err).To(harness.BeSuccess(), "ref §2.1: %s is an int32, %d fits", f.Name, v)
					var sent generators.Full
					sent.Set(f, "", int32(v))
					s.settle(ctx, s.target.Instance, &img, sent, f)
				}
				for _, v := range generators.OutOfInt32Edges { // just past int32, the wrap at 2³², and int64's ends
					_, err := s.update(ctx, s.target.Instance, img.Key, only(f, "", v))
					Expect(err).To(harness.HaveCode(f.Invalid), "ref §2.4: %s=%d is outside int32, refused, never wrapped", f.Name, v)
				}
				for _, raw := range []string{"abc", "1.5", "0x10"} {
					_, err := s.api.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: s.target.Instance,
						ProductId: img.ProductId, PicName: ptr(img.PicName), Raw: map[string]string{f.Name: raw}})
					Expect(err).To(harness.HaveCode(f.Invalid), "ref §2.4: %s=%q is not an integer", f.Name, raw)
				}
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "rejected updates change nothing")
			},
			Entry("IntAttr", "IntAttr"), Entry("IntAttr2", "IntAttr2"),
			Entry("IntAttr3 (sent in the query)", "IntAttr3"), Entry("IntAttr4 (sent in the query)", "IntAttr4"))

		DescribeTable("accepts a key of 256 characters",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§9 #2"),
			func(ctx SpecContext, keyName string) {
				k := longKey(harness.Key{ProductId: s.tracker.NewProductID(), PicName: "pic.jpg"}, keyName, contract.MaxKey)
				img := s.addImageAs(ctx, s.tracker, k.ProductId, k.PicName, baseline())
				_, err := s.update(ctx, s.target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr("at the key limit")})
				Expect(err).To(harness.BeSuccess(), "ref §2.1: %s of %d characters", keyName, contract.MaxKey)
				s.settle(ctx, s.target.Instance, &img, generators.Full{CustomContent: "at the key limit"}, field("CustomContent"))
			},
			Entry("ProductId", "ProductId"), Entry("PicName", "PicName"))

		DescribeTable("refuses a key of 513 characters without changing anything",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§9 #2"),
			func(ctx SpecContext, keyName string) {
				img := s.addImage(ctx, s.tracker)
				over := longKey(img.Key, keyName, contract.MaxKeyMetadata+1)
				s.tracker.Remember(over)
				_, err := s.update(ctx, s.target.Instance, over, imagesearch.Attributes{CustomContent: ptr("over")})
				Expect(err).To(harness.HaveStatus(400), "ref §9 #2: every source refuses a %s over %d characters", keyName, contract.MaxKeyMetadata)
				Expect(errorCode(err)).NotTo(Equal(contract.PicNotExist.Code), "ref §9 #2: the key is refused, not looked up")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "a rejected update changes nothing")
			},
			Entry("ProductId", "ProductId"), Entry("PicName", "PicName"))

		It("refuses a ProductId and a PicName of 257 characters", Label(harness.FootingReading), harness.Ref("§9 #2"), func(ctx SpecContext) {
			// UpdateImage of a missing image with a 257-character key: a target with the 512 limit looks the
			// image up (PicNotExist, or success under ref §10 #2); one with the 256 limit refuses the key.
			base := harness.Key{ProductId: s.tracker.NewProductID(), PicName: "pic.jpg"}
			limits := map[string]string{}
			for _, keyName := range []string{"ProductId", "PicName"} {
				k := longKey(base, keyName, contract.MaxKey+1)
				s.tracker.Remember(k)
				_, err := s.update(ctx, s.target.Instance, k, imagesearch.Attributes{CustomContent: ptr("long key")})
				switch code := errorCode(err); {
				case code == "success" || code == contract.PicNotExist.Code:
					limits[keyName] = "512"
				default:
					Expect(err).To(harness.HaveStatus(400), "ref §2.4: %s of %d characters", keyName, contract.MaxKey+1)
					limits[keyName] = "256"
				}
			}
			Expect(limits["ProductId"]).To(Equal(limits["PicName"]), "ref §9 #2: both keys share one limit")
			s.verdicts.Read(contract.PointKeyLimit, limits["ProductId"])
		})

		It("accepts a string field iff its length in characters is within the limit, for random lengths and BMP text",
			Label(harness.FootingDocumented, harness.LabelProperty), harness.Ref("§2.1", "§2.4"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				rapidg.Check(ctx, func(t *rapid.T) {
					g := NewWithT(t)
					f := rapid.SampledFrom(stringFields()).Draw(t, "field")
					alpha := rapid.SampledFrom(generators.BMPAlphabets).Draw(t, "alphabet")
					v := generators.AroundLimit(f.MaxChars, alpha).Draw(t, "value")
					_, err := s.update(ctx, s.target.Instance, img.Key, only(f, v, 0))
					n := utf8.RuneCountInString(v)
					got, exists := s.readBack(ctx, s.target.Instance, img.Key)
					g.Expect(exists).To(BeTrue())
					if n <= f.MaxChars {
						g.Expect(err).To(harness.BeSuccess(), "ref §2.1: %d ≤ %d characters", n, f.MaxChars)
						if v == "" { // whether an empty string clears is an open point with its own spec (ref §10 #3)
							g.Expect(got.Field(f)).To(BeElementOf("", img.Want.Field(f)), "ref §10 #3: cleared or kept")
						} else {
							g.Expect(got.Field(f)).To(Equal(v), "ref §2.3: the accepted value reads back exactly")
						}
						img.Want = got
						return
					}
					g.Expect(err).To(refusedAs(f), "ref §2.4: %d > %d characters", n, f.MaxChars)
					g.Expect(got).To(Equal(img.Want), "a refused update changes nothing")
				})
			})
	})
}

func stringFields() []contract.Field {
	var out []contract.Field
	for _, f := range contract.Fields {
		if f.Kind == contract.KindString {
			out = append(out, f)
		}
	}
	return out
}
