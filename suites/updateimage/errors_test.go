package updateimage_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// trigger sends an UpdateImage that provokes a code for real against img.
type trigger func(ctx context.Context, img image) error

func updateWith(mutate func(r *imagesearch.UpdateImageRequest)) trigger {
	return func(ctx context.Context, img image) error {
		r := &imagesearch.UpdateImageRequest{InstanceName: target.Instance, ProductId: img.ProductId,
			PicName: ptr(img.PicName), Attributes: imagesearch.Attributes{CustomContent: ptr("trigger")}}
		mutate(r)
		_, err := api.UpdateImage(ctx, r)
		return err
	}
}

func rawField(name, value string) trigger {
	return updateWith(func(r *imagesearch.UpdateImageRequest) { r.Raw = map[string]string{name: value} })
}

// triggered lists the codes of ref §2.4 a client can provoke, each with how.
var triggered = map[string]trigger{
	"InvalidInstance": updateWith(func(r *imagesearch.UpdateImageRequest) { r.InstanceName = "no-such-instance" }),
	"InvalidProductId": updateWith(func(r *imagesearch.UpdateImageRequest) {
		r.ProductId += strings.Repeat("p", contract.MaxKey+1-len([]rune(r.ProductId)))
	}),
	"InvalidPicName":       updateWith(func(r *imagesearch.UpdateImageRequest) { r.PicName = ptr(strings.Repeat("n", contract.MaxKey+1)) }),
	"InvalidCustomContent": rawField("CustomContent", strings.Repeat("c", contract.MaxCustomContent+1)),
	"InvalidStrAttr":       rawField("StrAttr", strings.Repeat("s", contract.MaxStrAttr+1)),
	"InvalidStrAttr2":      rawField("StrAttr2", strings.Repeat("s", contract.MaxStrAttr+1)),
	"InvalidStrAttr3":      rawField("StrAttr3", strings.Repeat("s", contract.MaxStrAttr+1)),
	"InvalidStrAttr4":      rawField("StrAttr4", strings.Repeat("s", contract.MaxStrAttr+1)),
	"InvalidIntAttr":       rawField("IntAttr", "not-a-number"),
	"InvalidIntAttr2":      rawField("IntAttr2", fmt.Sprint(int64(math.MaxInt32)+1)),
	"InvalidIntAttr3":      rawField("IntAttr3", "1.5"),
	"InvalidIntAttr4":      rawField("IntAttr4", fmt.Sprint(int64(math.MinInt32)-1)),
}

// faultOnly lists the codes no client can provoke on purpose; the emulator's fault hook checks that the
// client surfaces each with its status, code and message (DeniedRequest is also provoked for real by the
// throttling specs).
var faultOnly = map[string]bool{
	"BadRequest": true, "InstanceStatusError": true, "SearchTimeout": true, "NoPermission": true, "DeniedRequest": true,
	"InternalError": true, "NetworkException": true, "RequestTimeout": true, "UnsupportedInstanceType": true,
	"UnsupportedOperationType": true, "ExtractFeatureTimeout": true, "AccessEngineFailed": true,
	"InternalOssError": true, "InternalSwiftError": true, "InternalTableStoreError": true,
}

// notApplicable explains the listed codes UpdateImage cannot return (ref §2.4: the list is a shared template).
var notApplicable = map[string]string{
	"NoCaretSeperator": "legacy '^'-separated body format (ref §7)", "EmptyMeta": "legacy body format (ref §7)",
	"InvalidMetaItem": "legacy body format (ref §7)", "NoPicList": "legacy pic_list body (ref §7)",
	"InvalidPicList": "legacy pic_list body (ref §7)", "NoSpecifiedItemId": "legacy item_id parameter (ref §7)",
	"NoSpecifiedPic": "UpdateImage takes no picture (ref §1.5)", "NoSpecifiedSearchPic": "UpdateImage takes no picture (ref §1.5)",
	"NoSpecifiedAddPic": "UpdateImage takes no picture (ref §1.5)", "NoSpecifiedPicContent": "UpdateImage takes no picture (ref §1.5)",
	"UnsupportedPicFormat": "UpdateImage takes no picture (ref §1.5)", "UnsupportedPicPixels": "UpdateImage takes no picture (ref §1.5)",
	"IncorrectOrientation": "UpdateImage takes no picture (ref §1.5)", "InvalidPicContent": "UpdateImage takes no picture (ref §1.5)",
	"TimeoutForTransferImage": "UpdateImage takes no picture (ref §1.5)",
	"InvalidCategory":         "UpdateImage has no CategoryId (ref §2.1)", "InvalidType": "the Type parameter was removed in 2021 (ref §5.1)",
	"OverflowMaxResultNum": "UpdateImage has no paging (ref §1.6)", "OverflowMaxReturnNum": "UpdateImage has no paging (ref §1.6)",
	"InvalidStartParameter": "UpdateImage has no paging (ref §1.6)", "InvalidNumParameter": "UpdateImage has no paging (ref §1.6)",
	"InvalidFilterClause": "UpdateImage has no Filter (ref §2.1)", "InstanceOverQuota": "UpdateImage never adds an image (ref §2.3)",
}

func errorTable() []TableEntry {
	var out []TableEntry
	for _, e := range contract.UpdateImageErrors {
		name := fmt.Sprintf("HTTP %d %s", e.Status, e.Code)
		labels := Labels{}
		if faultOnly[e.Code] {
			labels = Labels{harness.LabelEmulatorOnly}
		}
		out = append(out, Entry(name, labels, e))
	}
	return out
}

var _ = Describe("UpdateImage error codes", Label(harness.AreaErrors), func() {
	It("classifies every code of the UpdateImage error list exactly once", func() {
		for _, e := range contract.UpdateImageErrors {
			n := 0
			for _, in := range []bool{triggered[e.Code] != nil, faultOnly[e.Code], notApplicable[e.Code] != "",
				e.Code == "PicNotExist" || e.Code == "NoSpecifiedProductId" || e.Code == "NoSpecifiedPicName"} {
				if in {
					n++
				}
			}
			Expect(n).To(Equal(1), "ref §2.4: %s must be classified once", e.Code)
		}
	})

	DescribeTable("surfaces each listed code with its HTTP status, literal message and RequestId, changing nothing",
		func(ctx SpecContext, want contract.Error) {
			if reason, ok := notApplicable[want.Code]; ok {
				Skip("not applicable to UpdateImage: " + reason)
			}
			img := addImage(ctx, tracker)
			var err error
			switch {
			case triggered[want.Code] != nil:
				err = triggered[want.Code](ctx, img)
				Expect(err).To(harness.HaveContractError(want), "ref §2.4")
			case faultOnly[want.Code]:
				if target.Faults == nil {
					Skip("needs the emulator's fault hook; " + target.Kind + " has none")
				}
				Expect(target.Faults.Inject(ctx, emulator.Fault{Action: contract.OpUpdateImage, ProductId: img.ProductId,
					Code: want.Code})).To(Succeed())
				DeferCleanup(target.Faults.Clear)
				if want.Code == contract.DeniedRequest.Code {
					api.ExpectThrottling(true) // an injected DeniedRequest is not the pacing failing
					DeferCleanup(api.ExpectThrottling, false)
				}
				err = updateWith(func(*imagesearch.UpdateImageRequest) {})(ctx, img)
				Expect(err).To(harness.HaveContractError(want), "ref §2.4: the client surfaces the service's answer")
			default:
				err = openReading(ctx, img, want)
			}
			Expect(harness.ErrorBodyShape(err)).To(Succeed(), "ref §1.4: flat error body")
			expectStored(ctx, target.Instance, img.Key, img.Want, "a refused update changes nothing")
		}, errorTable())

	It("answers a missing InstanceName at the gateway", func(ctx SpecContext) {
		img := addImage(ctx, tracker)
		err := updateWith(func(r *imagesearch.UpdateImageRequest) { r.Omit = []string{"InstanceName"} })(ctx, img)
		Expect(err).To(harness.HaveContractError(contract.Missing("InstanceName")), "ref §8.3: Missing{Parameter}")
		expectStored(ctx, target.Instance, img.Key, img.Want, "nothing changed")
	})

	DescribeTable("rejects bad credentials at the gateway without changing anything",
		func(ctx SpecContext, id, secret, code string, statuses []int) {
			if id == "" {
				id = target.AccessKeyID
			}
			img := addImage(ctx, tracker)
			bad, err := imagesearch.New(imagesearch.Config{Endpoint: target.Endpoint, RegionID: target.Region,
				AccessKeyID: id, AccessKeySecret: secret})
			Expect(err).NotTo(HaveOccurred())
			_, err = bad.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: target.Instance,
				ProductId: img.ProductId, PicName: ptr(img.PicName), Attributes: imagesearch.Attributes{CustomContent: ptr("x")}})
			Expect(statusOf(err)).To(BeElementOf(statuses), "ref §8.3, §9 #22: statuses differ between tables")
			Expect(errorCode(err)).To(Equal(code), "ref §8.3")
			Expect(err.Error()).NotTo(ContainSubstring(secret), "the secret never appears in errors")
			expectStored(ctx, target.Instance, img.Key, img.Want, "nothing changed")
		},
		Entry("unknown AccessKeyId", "LTAIunknownkey", "whatever-secret", "InvalidAccessKeyId.NotFound", []int{400, 404}),
		Entry("wrong secret", "", "wrong-secret-value", "SignatureDoesNotMatch", []int{400, 403}))
})

// openReading checks the codes whose trigger the reference leaves open (ref §10), asserting only what
// every reading allows and recording what was observed.
func openReading(ctx context.Context, img image, want contract.Error) error {
	GinkgoHelper()
	var err error
	switch want.Code {
	case "PicNotExist":
		missing := img
		missing.PicName = "missing-" + img.PicName
		err = updateWith(func(r *imagesearch.UpdateImageRequest) { r.PicName = ptr(missing.PicName) })(ctx, img)
		AddReportEntry("observed", map[string]string{"updateOfMissingImage": errorCode(err)})
		if err == nil {
			Skip("the target answers success for a missing image (ref §10 #2); nothing was created (checked by the overwrite specs)")
		}
		Expect(err).To(harness.HaveContractError(want), "ref §2.4, §10 #2")
	case "NoSpecifiedProductId":
		err = updateWith(func(r *imagesearch.UpdateImageRequest) { r.ProductId = "" })(ctx, img)
		Expect(err).To(harness.HaveStatusAndCode(400, want.Code, "MissingProductId"), "ref §2.4, §10 #6")
		if errorCode(err) == want.Code {
			Expect(err).To(harness.HaveContractError(want))
		}
	case "NoSpecifiedPicName":
		if !target.Profile.UpdatePicNameRequired() {
			Skip("PicName is optional under " + string(target.Profile) + " (ref §9 #1)")
		}
		err = updateWith(func(r *imagesearch.UpdateImageRequest) { r.PicName = ptr("") })(ctx, img)
		Expect(err).To(harness.HaveStatusAndCode(400, want.Code, "MissingPicName"), "ref §2.4, §10 #6")
		if errorCode(err) == want.Code {
			Expect(err).To(harness.HaveContractError(want))
		}
	default:
		Fail("no check for " + want.Code)
	}
	return err
}

func statusOf(err error) int {
	var ae *imagesearch.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus
	}
	return 0
}
