package emulator

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/imagesearch-conformance/conformance/contract"
)

// A probe observes one behaviour of a fresh emulator and renders what it saw as text, without asserting
// anything: the variant tests compare observations across variants. Probes use the instance testInstance
// (limits off) and limitedInstance (limits on), and never the asserting helpers (add, exists, wantOK),
// which check the default envelope that some variants change.
type probe struct {
	name string
	want string // the observation under the default behaviour
	run  func(e *env, clock *fakeClock) string
}

// limitedInstance is the probes' instance with its QPS limits on.
const limitedInstance = "limited"

// outcome renders a reply as "ok" or "<status> <code>".
func outcome(r reply) string {
	if r.Status == 200 {
		return "ok"
	}
	return fmt.Sprintf("%d %s", r.Status, codeOf(r))
}

// codeOf renders the error Code of a reply, marking one that is not a string.
func codeOf(r reply) string {
	if s, ok := r.M["Code"].(string); ok {
		return s
	}
	return "numeric:" + num(r.M["Code"])
}

// verdict renders whether a value passed validation: a call that gets past it answers 200 or PicNotExist.
func verdict(r reply) string {
	if r.Status == 200 || codeOf(r) == contract.PicNotExist.Code {
		return "a"
	}
	return "r"
}

// call sends action on instance with alternating keys and values.
func (e *env) call(action, instance string, kv ...string) reply {
	e.t.Helper()
	return e.v1(action, form(append([]string{"InstanceName", instance}, kv...)...), nil)
}

// put adds an image without asserting the answer.
func (e *env) put(instance, product, pic string, seed int64, kv ...string) reply {
	e.t.Helper()
	return e.call(contract.OpAddImage, instance, append([]string{"ProductId", product, "PicName", pic,
		"PicContent", picB64(seed)}, kv...)...)
}

// attrs reads an image back with CheckImageExists and renders the named fields, "-" when absent.
func (e *env) attrs(product, pic string, names ...string) string {
	e.t.Helper()
	r := e.call(contract.OpCheckImageExists, testInstance, "ProductId", product, "PicName", pic)
	a, _ := r.M["Auctions"].(map[string]any)
	if r.M["Exists"] != true {
		return "absent"
	}
	var out []string
	for _, n := range names {
		v := a[n]
		if s, ok := v.(string); ok {
			out = append(out, s)
		} else {
			out = append(out, num(v))
		}
	}
	return strings.Join(out, ",")
}

// top searches testInstance by picture seed and renders the best hit's named fields and the head.
func (e *env) top(seed int64, kv ...string) (best map[string]any, head map[string]any, n int) {
	e.t.Helper()
	r := e.call(contract.OpSearchImageByPic, testInstance, append([]string{"PicContent", picB64(seed)}, kv...)...)
	hits, _ := r.M["Auctions"].([]any)
	head, _ = r.M["Head"].(map[string]any)
	if len(hits) == 0 {
		return nil, head, 0
	}
	best, _ = hits[0].(map[string]any)
	return best, head, len(hits)
}

// idForm classifies a RequestId.
func idForm(id string) string {
	switch {
	case id == "":
		return "none"
	case requestIDPattern.MatchString(id):
		return "uuid"
	}
	return "other"
}

func updateOn(instance, product, pic string, kv ...string) url.Values {
	return form(append([]string{"InstanceName", instance, "ProductId", product, "PicName", pic}, kv...)...)
}

// probes cover every behaviour a variant changes, one area each.
var probes = []probe{
	{"unsent", "5,s,c,7", func(e *env, _ *fakeClock) string {
		e.put(testInstance, "U", "n", 1, "IntAttr", "5", "StrAttr", "s", "CustomContent", "c")
		e.v1(contract.OpUpdateImage, updateOn(testInstance, "U", "n", "IntAttr2", "7"), nil)
		return e.attrs("U", "n", "IntAttr", "StrAttr", "CustomContent", "IntAttr2")
	}},
	{"empty-string", ",c2", func(e *env, _ *fakeClock) string {
		e.put(testInstance, "E", "n", 1, "StrAttr", "s", "CustomContent", "c")
		e.v1(contract.OpUpdateImage, updateOn(testInstance, "E", "n", "StrAttr", "", "CustomContent", "c2"), nil)
		return e.attrs("E", "n", "StrAttr", "CustomContent")
	}},
	{"update-missing", "400 PicNotExist absent", func(e *env, _ *fakeClock) string {
		r := e.v1(contract.OpUpdateImage, updateOn(testInstance, "M", "none", "IntAttr", "1"), nil)
		return outcome(r) + " " + e.attrs("M", "none")
	}},
	{"length-unit", "astral=a accented=a", func(e *env, _ *fakeClock) string {
		// 65 characters outside the BMP: 130 UTF-16 units, 260 bytes; 100 "é": 100 units, 200 bytes.
		astral := e.v1(contract.OpUpdateImage, updateOn(testInstance, "L", "n", "StrAttr", repeat("𝄞", 65)), nil)
		accented := e.v1(contract.OpUpdateImage, updateOn(testInstance, "L", "n", "StrAttr", repeat("é", 100)), nil)
		return "astral=" + verdict(astral) + " accented=" + verdict(accented)
	}},
	{"field-limits", "cc4096=a cc4097=r s3_128=a s3_129=r s_129=r int_max=a int_over=r", func(e *env, _ *fakeClock) string {
		var out []string
		for _, c := range []struct{ label, field, value string }{
			{"cc4096", "CustomContent", repeat("c", 4096)}, {"cc4097", "CustomContent", repeat("c", 4097)},
			{"s3_128", "StrAttr3", repeat("s", 128)}, {"s3_129", "StrAttr3", repeat("s", 129)},
			{"s_129", "StrAttr", repeat("s", 129)},
			{"int_max", "IntAttr", "2147483647"}, {"int_over", "IntAttr", "2147483648"},
		} {
			out = append(out, c.label+"="+verdict(e.v1(contract.OpUpdateImage, updateOn(testInstance, "F", "n", c.field, c.value), nil)))
		}
		return strings.Join(out, " ")
	}},
	{"key-limit", "p256=a p257=r p512=r p513=r n257=r n513=r", func(e *env, _ *fakeClock) string {
		var out []string
		for _, c := range []struct {
			label, product, pic string
		}{
			{"p256", repeat("p", 256), "n"}, {"p257", repeat("p", 257), "n"}, {"p512", repeat("p", 512), "n"},
			{"p513", repeat("p", 513), "n"}, {"n257", "P", repeat("n", 257)}, {"n513", "P", repeat("n", 513)},
		} {
			r := e.call(contract.OpCheckImageExists, testInstance, "ProductId", c.product, "PicName", c.pic)
			out = append(out, c.label+"="+verdict(r))
		}
		return strings.Join(out, " ")
	}},
	{"metadata-codes", "InvalidProductId InvalidPicName InvalidCustomContent InvalidStrAttr", func(e *env, _ *fakeClock) string {
		var out []string
		for _, kv := range [][]string{
			{"ProductId", repeat("p", 600)}, {"PicName", repeat("n", 600)},
			{"CustomContent", repeat("c", 5000)}, {"StrAttr", repeat("s", 200)},
		} {
			f := updateOn(testInstance, "K", "n")
			f.Set(kv[0], kv[1])
			out = append(out, codeOf(e.v1(contract.OpUpdateImage, f, nil)))
		}
		return strings.Join(out, " ")
	}},
	{"missing-param", "400 MissingProductId", func(e *env, _ *fakeClock) string {
		return outcome(e.call(contract.OpUpdateImage, testInstance, "PicName", "n", "IntAttr", "1"))
	}},
	{"update-picname", "400 MissingPicName a=0", func(e *env, _ *fakeClock) string {
		e.put(testInstance, "Q", "a", 1)
		r := e.call(contract.OpUpdateImage, testInstance, "ProductId", "Q", "IntAttr", "3")
		return outcome(r) + " a=" + e.attrs("Q", "a", "IntAttr")
	}},
	{"query-fields", "7,q", func(e *env, _ *fakeClock) string {
		e.put(testInstance, "Y", "n", 1)
		e.v1(contract.OpUpdateImage, updateOn(testInstance, "Y", "n", "IntAttr", "1"), url.Values{"IntAttr3": {"7"}, "StrAttr4": {"q"}})
		return e.attrs("Y", "n", "IntAttr3", "StrAttr4")
	}},
	{"add-replace", "attrs=2 pic=new", func(e *env, clock *fakeClock) string {
		e.put(testInstance, "R", "n", 1, "IntAttr", "1")
		e.put(testInstance, "R", "n", 2, "IntAttr", "2")
		clock.Advance(time.Hour) // past any index lag
		best, _, _ := e.top(2, "Num", "1")
		score, _ := strconv.ParseFloat(num(best["Score"]), 64)
		pic := map[bool]string{true: "new", false: "old"}[score > 0.99]
		return "attrs=" + e.attrs("R", "n", "IntAttr") + " pic=" + pic
	}},
	{"round-trip", "int=2 str=a filter=1", func(e *env, clock *fakeClock) string {
		e.put(testInstance, "T", "n", 1, "IntAttr", "1", "StrAttr", "a", "StrAttr2", "b")
		e.v1(contract.OpUpdateImage, updateOn(testInstance, "T", "n", "IntAttr", "2", "StrAttr", "a", "StrAttr2", "b"), nil)
		clock.Advance(time.Hour)
		best, _, _ := e.top(1)
		_, _, filtered := e.top(1, "Filter", "int_attr=2")
		return fmt.Sprintf("int=%s str=%v filter=%d", num(best["IntAttr"]), best["StrAttr"], filtered)
	}},
	{"head", "DocsFound=2 DocsReturn=1", func(e *env, clock *fakeClock) string {
		for i, pic := range []string{"a", "b"} {
			e.put(testInstance, "H", pic, int64(i+1))
		}
		clock.Advance(time.Hour)
		_, head, _ := e.top(1, "Num", "1")
		return "DocsFound=" + num(head["DocsFound"]) + " DocsReturn=" + num(head["DocsReturn"])
	}},
	{"index-lag", "search=found exists=yes later=found", func(e *env, clock *fakeClock) string {
		e.put(testInstance, "G", "n", 1)
		found := func() string {
			if _, _, n := e.top(1); n > 0 {
				return "found"
			}
			return "absent"
		}
		now := found()
		exists := map[bool]string{true: "no", false: "yes"}[e.attrs("G", "n") == "absent"]
		clock.Advance(time.Hour)
		return "search=" + now + " exists=" + exists + " later=" + found()
	}},
	{"throttling", "admitted=20 last=403 DeniedRequest value=20 detail=400 DeniedRequest", func(e *env, clock *fakeClock) string {
		e.put(limitedInstance, "P", "n", 1)
		clock.Advance(time.Second)
		admitted, last := 0, ""
		for i := 1; i <= contract.UpdateImageQPS+1; i++ {
			r := e.v1(contract.OpUpdateImage, updateOn(limitedInstance, "P", "n", "IntAttr", strconv.Itoa(i)), nil)
			if last = outcome(r); r.Status == 200 {
				admitted++
			}
		}
		r := e.call(contract.OpCheckImageExists, limitedInstance, "ProductId", "P", "PicName", "n")
		value := num(r.M["Auctions"].(map[string]any)["IntAttr"])
		e.call(contract.OpDetail, limitedInstance)
		detail := outcome(e.call(contract.OpDetail, limitedInstance))
		return fmt.Sprintf("admitted=%d last=%s value=%s detail=%s", admitted, last, value, detail)
	}},
	{"limiter", "second-burst=0", func(e *env, clock *fakeClock) string {
		// The fake clock starts on a whole second: a burst at +500ms, another at +1000ms.
		e.put(limitedInstance, "P", "n", 1)
		burst := func() int {
			n := 0
			for i := range contract.UpdateImageQPS {
				r := e.v1(contract.OpUpdateImage, updateOn(limitedInstance, "P", "n", "IntAttr", strconv.Itoa(i)), nil)
				if r.Status == 200 {
					n++
				}
			}
			return n
		}
		clock.Advance(500 * time.Millisecond)
		burst()
		clock.Advance(500 * time.Millisecond)
		return fmt.Sprintf("second-burst=%d", burst())
	}},
	{"request-id", "success=uuid error=uuid header=same", func(e *env, _ *fakeClock) string {
		ok := e.call(contract.OpDetail, testInstance)
		bad := e.call(contract.OpDetail, "nosuchinstance")
		same := "same"
		for _, r := range []reply{ok, bad} {
			if id := r.str("RequestId"); id != "" && r.Header.Get("x-acs-request-id") != id {
				same = "differs"
			}
		}
		return "success=" + idForm(ok.str("RequestId")) + " error=" + idForm(bad.str("RequestId")) + " header=" + same
	}},
	{"error-codes", "instance=400 InvalidInstance strattr4=400 InvalidStrAttr4", func(e *env, _ *fakeClock) string {
		inst := e.v1(contract.OpUpdateImage, updateOn("nosuchinstance", "P", "n", "IntAttr", "1"), nil)
		s4 := e.v1(contract.OpUpdateImage, updateOn(testInstance, "P", "n", "StrAttr4", repeat("s", 129)), nil)
		return "instance=" + outcome(inst) + " strattr4=" + outcome(s4)
	}},
	{"error-body", "RequestId=yes Code=string Message=yes", func(e *env, _ *fakeClock) string {
		r := e.v1(contract.OpUpdateImage, updateOn("nosuchinstance", "P", "n", "IntAttr", "1"), nil)
		_, hasID := r.M["RequestId"]
		_, isString := r.M["Code"].(string)
		return fmt.Sprintf("RequestId=%s Code=%s Message=%s", yes(hasID), map[bool]string{true: "string", false: "other"}[isString],
			yes(r.str("Message") != ""))
	}},
	{"extra-fields", "success=no error=no", func(e *env, _ *fakeClock) string {
		ok := e.call(contract.OpDetail, testInstance)
		bad := e.call(contract.OpDetail, "nosuchinstance")
		_, inOK := ok.M["EmulatorExtra"]
		_, inBad := bad.M["EmulatorExtra"]
		return "success=" + yes(inOK) + " error=" + yes(inBad)
	}},
}

func yes(b bool) string { return map[bool]string{true: "yes", false: "no"}[b] }
