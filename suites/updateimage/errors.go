package updateimage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/imagesearch-conformance/conformance/contract"
	"github.com/imagesearch-conformance/conformance/emulator"
	"github.com/imagesearch-conformance/conformance/imagesearch"
	"github.com/imagesearch-conformance/conformance/suites/harness"
)

// trigger sends an UpdateImage that provokes a code for real against img.
type trigger func(ctx context.Context, s *suite, img image) error

func updateWith(mutate func(r *imagesearch.UpdateImageRequest)) trigger {
	return func(ctx context.Context, s *suite, img image) error {
		r := &imagesearch.UpdateImageRequest{InstanceName: s.target.Instance, ProductId: img.ProductId,
			PicName: ptr(img.PicName), Attributes: imagesearch.Attributes{CustomContent: ptr("trigger")}}
		mutate(r)
		_, err := s.api.UpdateImage(ctx, r)
		return err
	}
}

func rawField(name, value string) trigger {
	return updateWith(func(r *imagesearch.UpdateImageRequest) { r.Raw = map[string]string{name: value} })
}

// triggered lists the codes of ref §2.4 a client can provoke, each with how. Values are well past their
// limit (keys past every source's 512, ref §9 #2; non-numeric text for the ints): these specs are about the
// code, and the boundaries are the length specs'.
var triggered = map[string]trigger{
	"InvalidInstance": updateWith(func(r *imagesearch.UpdateImageRequest) { r.InstanceName = "no-such-instance" }),
	"InvalidProductId": updateWith(func(r *imagesearch.UpdateImageRequest) {
		r.ProductId += strings.Repeat("p", contract.MaxKeyMetadata+pastLimit-len([]rune(r.ProductId)))
	}),
	"InvalidPicName": updateWith(func(r *imagesearch.UpdateImageRequest) {
		r.PicName = ptr(strings.Repeat("n", contract.MaxKeyMetadata+pastLimit))
	}),
	"InvalidCustomContent": rawField("CustomContent", strings.Repeat("c", contract.MaxCustomContent+pastLimit)),
	"InvalidStrAttr":       rawField("StrAttr", strings.Repeat("s", contract.MaxStrAttr+pastLimit)),
	"InvalidStrAttr2":      rawField("StrAttr2", strings.Repeat("s", contract.MaxStrAttr+pastLimit)),
	"InvalidStrAttr3":      rawField("StrAttr3", strings.Repeat("s", contract.MaxStrAttr+pastLimit)),
	"InvalidStrAttr4":      rawField("StrAttr4", strings.Repeat("s", contract.MaxStrAttr+pastLimit)),
	"InvalidIntAttr":       rawField("IntAttr", "not-a-number"),
	"InvalidIntAttr2":      rawField("IntAttr2", "12abc"),
	"InvalidIntAttr3":      rawField("IntAttr3", "1.5"),
	"InvalidIntAttr4":      rawField("IntAttr4", "0x10"),
}

// pastLimit is how far past its limit a triggering value goes.
const pastLimit = 10

// faultOnly lists the codes no client can provoke on purpose; the emulator's fault hook checks that the
// client surfaces each with its status, code and message. That is the client's mapping, not the target's
// conformance, so these specs have their own area (DeniedRequest is also provoked for real by the
// throttling specs).
var faultOnly = map[string]bool{
	"BadRequest": true, "InstanceStatusError": true, "SearchTimeout": true, "NoPermission": true, "DeniedRequest": true,
	"InternalError": true, "NetworkException": true, "RequestTimeout": true, "UnsupportedInstanceType": true,
	"UnsupportedOperationType": true, "ExtractFeatureTimeout": true, "AccessEngineFailed": true,
	"InternalOssError": true, "InternalSwiftError": true, "InternalTableStoreError": true,
}

// ownSpec lists the codes with a spec of their own: their trigger is an open point (ref §10 #2, #6).
var ownSpec = map[string]bool{"PicNotExist": true, "NoSpecifiedProductId": true, "NoSpecifiedPicName": true}

// codeEntries are the table entries for the listed codes the filter keeps.
func codeEntries(keep func(contract.Error) bool, labels ...any) []TableEntry {
	var out []TableEntry
	for _, e := range contract.UpdateImageErrors {
		if keep(e) {
			out = append(out, Entry(fmt.Sprintf("HTTP %d %s", e.Status, e.Code), append(labels, e)...))
		}
	}
	return out
}

func documentedTrigger(e contract.Error) bool {
	return triggered[e.Code] != nil && !slices.Contains(contract.MetadataOnlyCodes, e.Code)
}

func (s *suite) errorCodeSpecs() {
	Describe("UpdateImage error codes", Label(harness.AreaErrors), func() {
		It("classifies every code of the UpdateImage error list exactly once", Label(harness.FootingDocumented), harness.Ref("§2.4"), func() {
			for _, e := range contract.UpdateImageErrors {
				n := 0
				for _, in := range []bool{triggered[e.Code] != nil, faultOnly[e.Code], harness.NotApplicable[e.Code] != "", ownSpec[e.Code]} {
					if in {
						n++
					}
				}
				Expect(n).To(Equal(1), "ref §2.4: %s must be classified once", e.Code)
			}
		})

		DescribeTable("answers each documented refusal with its HTTP status, literal message and RequestId, changing nothing",
			Label(harness.FootingDocumented), harness.Ref("§2.4", "§1.4"),
			func(ctx SpecContext, want contract.Error) {
				img := s.addImage(ctx, s.tracker)
				err := triggered[want.Code](ctx, s, img)
				Expect(err).To(harness.HaveContractError(want), "ref §2.4")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "a refused update changes nothing")
			}, codeEntries(documentedTrigger))

		// No instance can have a name over 20 characters (ref §2.1, §1.9), so this is an unknown instance; a name
		// at the limit would need an instance created with it, which the suite cannot do.
		It("answers an InstanceName longer than 20 characters with InvalidInstance and changes nothing",
			Label(harness.FootingDocumented), harness.Ref("§2.1", "§1.9", "§2.4"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				_, err := s.update(ctx, strings.Repeat("i", contract.MaxInstanceName+1), img.Key,
					imagesearch.Attributes{CustomContent: ptr("never")})
				Expect(err).To(harness.HaveContractError(contract.InvalidInstance), "ref §2.1, §1.9: InstanceName ≤ 20")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "nothing changed")
			})

		It("answers the refusals only the metadata lists with their listed codes", Label(harness.FootingReading),
			harness.Ref("§2.4", "§10 #6"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				observed := "listed"
				for _, code := range contract.MetadataOnlyCodes {
					err := triggered[code](ctx, s, img)
					Expect(err).To(harness.HaveStatus(400), "ref §2.4: the refusal behind %s is documented", code)
					if errorCode(err) != code {
						observed = "other-400"
						continue
					}
					want := slices.IndexFunc(contract.UpdateImageErrors, func(e contract.Error) bool { return e.Code == code })
					Expect(err).To(harness.HaveContractError(contract.UpdateImageErrors[want]), "ref §2.4: the listed status and message")
				}
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "refused updates change nothing")
				s.verdicts.Read(contract.PointMetadataCodes, observed)
			})

		It("answers an empty ProductId with a 400 refusal, NoSpecifiedProductId when the service sees it",
			Label(harness.FootingDocumented), harness.Ref("§2.4", "§10 #6"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				err := updateWith(func(r *imagesearch.UpdateImageRequest) { r.ProductId = "" })(ctx, s, img)
				expectEmptyKeyRefusal(err, contract.NoSpecifiedProductId, "MissingProductId")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "nothing changed")
			})

		It("answers an empty PicName under intl-2025 with a 400 refusal, NoSpecifiedPicName when the service sees it",
			Label(harness.FootingDocumented), harness.Ref("§2.4", "§9 #1", "§10 #6"), func(ctx SpecContext) {
				if !s.target.Profile.UpdatePicNameRequired() {
					Skip("PicName is optional under " + string(s.target.Profile) + " (ref §9 #1)")
				}
				img := s.addImage(ctx, s.tracker)
				err := updateWith(func(r *imagesearch.UpdateImageRequest) { r.PicName = ptr("") })(ctx, s, img)
				expectEmptyKeyRefusal(err, contract.NoSpecifiedPicName, "MissingPicName")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "nothing changed")
			})

		It("answers a missing InstanceName at the gateway with a 400", Label(harness.FootingDocumented), harness.Ref("§8.3", "§10 #6"), func(ctx SpecContext) {
			img := s.addImage(ctx, s.tracker)
			err := updateWith(func(r *imagesearch.UpdateImageRequest) { r.Omit = []string{"InstanceName"} })(ctx, s, img)
			Expect(err).To(harness.HaveStatusAndCode(400, contract.Missing("InstanceName").Code, contract.MissingParameterCode),
				"ref §8.3: the gateway's Missing{Parameter} or its generic MissingParameter (free)")
			harness.Observe("missing-parameter-code", errorCode(err))
			s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "nothing changed")
		})

		It("answers with RequestIds in the upper-case UUID form of the examples", Label(harness.FootingReading),
			harness.Ref("§1.4", "§2.2"), func(ctx SpecContext) {
				img := s.addImage(ctx, s.tracker)
				resp, err := s.update(ctx, s.target.Instance, img.Key, imagesearch.Attributes{CustomContent: ptr("id form")})
				Expect(err).To(harness.BeSuccess())
				refused := triggered["InvalidInstance"](ctx, s, img)
				var ae *imagesearch.APIError
				Expect(errors.As(refused, &ae)).To(BeTrue(), "an API error")
				observed := "upper-case UUID"
				if !harness.IsUUIDRequestID(resp.RequestId) || !harness.IsUUIDRequestID(ae.RequestId) {
					observed = "other"
				}
				s.verdicts.Read(contract.PointRequestIDForm, observed)
			})

		DescribeTable("rejects bad credentials at the gateway without changing anything",
			Label(harness.FootingDocumented), harness.Ref("§8.3", "§9 #22"),
			func(ctx SpecContext, id, secret, code string, statuses []int) {
				if id == "" {
					id = s.target.AccessKeyID
				}
				img := s.addImage(ctx, s.tracker)
				bad, err := imagesearch.New(imagesearch.Config{Endpoint: s.target.Endpoint, RegionID: s.target.Region,
					AccessKeyID: id, AccessKeySecret: secret})
				Expect(err).NotTo(HaveOccurred())
				_, err = bad.UpdateImage(ctx, &imagesearch.UpdateImageRequest{InstanceName: s.target.Instance,
					ProductId: img.ProductId, PicName: ptr(img.PicName), Attributes: imagesearch.Attributes{CustomContent: ptr("x")}})
				Expect(statusOf(err)).To(BeElementOf(statuses), "ref §8.3, §9 #22: statuses differ between tables")
				Expect(errorCode(err)).To(Equal(code), "ref §8.3")
				Expect(err.Error()).NotTo(ContainSubstring(secret), "the secret never appears in errors")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "nothing changed")
			},
			Entry("unknown AccessKeyId", "LTAIunknownkey", "whatever-secret", "InvalidAccessKeyId.NotFound", []int{400, 404}),
			Entry("wrong secret", "", "wrong-secret-value", "SignatureDoesNotMatch", []int{400, 403}))
	})
}

func (s *suite) clientMappingSpecs() {
	Describe("Client mapping of injected service errors", Label(harness.AreaClientMapping, harness.LabelEmulatorOnly), func() {
		DescribeTable("surfaces each injected code with its HTTP status, literal message and RequestId",
			Label(harness.FootingDocumented), harness.Ref("§2.4", "§1.4"),
			func(ctx SpecContext, want contract.Error) {
				if s.target.Faults == nil {
					Skip("needs the emulator's fault hook; " + s.target.Kind + " has none")
				}
				img := s.addImage(ctx, s.tracker)
				Expect(s.target.Faults.Inject(ctx, emulator.Fault{Action: contract.OpUpdateImage, ProductId: img.ProductId,
					Code: want.Code})).To(Succeed())
				DeferCleanup(s.target.Faults.Clear, img.ProductId)
				if want.Code == contract.DeniedRequest.Code {
					s.api.ExpectThrottling(true) // an injected DeniedRequest is not the pacing failing
					DeferCleanup(s.api.ExpectThrottling, false)
				}
				err := updateWith(func(*imagesearch.UpdateImageRequest) {})(ctx, s, img)
				Expect(err).To(harness.HaveCode(want), "ref §2.4: the client surfaces the service's status and code")
				s.expectStored(ctx, s.target.Instance, img.Key, img.Want, "a faulted update changes nothing")
			}, codeEntries(func(e contract.Error) bool { return faultOnly[e.Code] }))
	})
}

// expectEmptyKeyRefusal checks the answer to a key sent empty: a 400 with the service's NoSpecified code, or
// the gateway's Missing code if the gateway treats an empty value as missing (ref §10 #6).
func expectEmptyKeyRefusal(err error, service contract.Error, gateway string) {
	GinkgoHelper()
	Expect(err).To(harness.HaveStatusAndCode(400, service.Code, gateway, contract.MissingParameterCode), "ref §2.4, §10 #6")
	if errorCode(err) == service.Code {
		Expect(err).To(harness.HaveContractError(service), "ref §2.4: the listed message")
	}
	harness.Observe(strings.ToLower("empty-"+strings.TrimPrefix(service.Code, "NoSpecified")+"-code"), errorCode(err))
}

func statusOf(err error) int {
	var ae *imagesearch.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus
	}
	return 0
}
