package imagesearch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
)

// API constants of the service (ref §1.1).
const (
	product = "ImageSearch"
	version = "2020-12-14"
)

// exchange is the outcome of one sent request.
type exchange struct {
	status int
	header http.Header
	body   []byte
	err    error // *APIError, transport error or panic report
}

// httpResponse is implemented by every response struct via HTTPInfo.
type httpResponse interface{ setHTTP(status int, raw []byte) }

// call sends one operation and decodes a 2xx body into a new T. Whenever an
// HTTP answer arrived the returned response is non-nil, even with an error,
// so callers can inspect HTTPStatus, Raw and (for a 2xx failure) the decoded
// fields.
func call[T any, PT interface {
	*T
	httpResponse
}](ctx context.Context, c *Client, action string, p params) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("imagesearch %s: not sent: %w", action, err)
	}
	start := time.Now()
	x := c.send(ctx, action, p)
	var resp *T
	info := CallInfo{Action: action, HTTPStatus: x.status, Start: start, Params: p, Header: x.header, Body: x.body}
	if x.status != 0 {
		resp = new(T)
		PT(resp).setHTTP(x.status, x.body)
	}
	err := x.err
	if err == nil {
		var reqID string
		reqID, err = decodeSuccess(action, x, any(resp))
		info.RequestId = reqID
	} else if ae, ok := err.(*APIError); ok {
		info.RequestId = ae.RequestId
	}
	info.Duration = time.Since(start)
	info.Err = err
	if c.cfg.OnCall != nil {
		c.cfg.OnCall(info)
	}
	return resp, err
}

// decodeSuccess strictly decodes a 2xx body into resp and turns a body that
// reports failure into an *APIError. It returns the body's RequestId.
func decodeSuccess(action string, x exchange, resp any) (string, error) {
	m, err := DecodeMap(x.body)
	if err != nil {
		return "", fmt.Errorf("imagesearch %s: HTTP %d: body is not a JSON object: %w", action, x.status, err)
	}
	env := readEnvelope(m)
	if err := decodeStrict(x.body, resp); err != nil {
		return env.requestID, fmt.Errorf("imagesearch %s: HTTP %d: decoding body (RequestId %q): %w",
			action, x.status, env.requestID, err)
	}
	if env.failed() {
		return env.requestID, fromFailedBody(action, x.status, x.body, env)
	}
	return env.requestID, nil
}

// send borrows an SDK client, builds and signs the CommonRequest and maps
// the SDK's outcome to an exchange.
func (c *Client) send(ctx context.Context, action string, p params) exchange {
	pc, err := c.borrow(ctx)
	if err != nil {
		return exchange{err: fmt.Errorf("imagesearch %s: creating SDK client: %s", action, Redact(err.Error()))}
	}
	req := c.newRequest(action)
	p.place(action, req)
	resp := responses.NewCommonResponse()
	panicked, panicValue := invoke(pc, req, resp, &err)
	if panicked {
		// The SDK client may be half-way through a call; do not reuse it.
		return panicExchange(action, resp, panicValue)
	}
	c.giveBack(pc)
	return classify(action, resp, err)
}

// newRequest builds the RPC request per sdk-go-v1.md §1.2: POST (the
// CommonRequest default is GET), explicit Scheme and Domain, empty
// ServiceCode so no endpoint lookup ever happens.
func (c *Client) newRequest(action string) *requests.CommonRequest {
	r := requests.NewCommonRequest()
	r.Method = requests.POST
	r.Scheme = c.scheme
	r.Domain = c.domain
	r.Product = product
	r.Version = version
	r.ApiName = action
	return r
}

// invoke runs the SDK call, recovering a panic. It does what
// ProcessCommonRequest does, but keeps the response object in our hands so
// that status and body are still available after the SDK panics on a
// numeric error Code (sdk-go-v1.md §6.6, aliyun/alibaba-cloud-sdk-go#534).
func invoke(pc *pooled, req *requests.CommonRequest, resp *responses.CommonResponse, errp *error) (panicked bool, value any) {
	defer func() {
		if v := recover(); v != nil {
			panicked, value = true, v
		}
	}()
	req.TransToAcsRequest()
	*errp = pc.sdk.DoAction(req, resp)
	return false, nil
}

// panicExchange reports an SDK panic. When an HTTP answer was read, it is
// the non-string error body case and becomes an APIError.
func panicExchange(action string, resp *responses.CommonResponse, v any) exchange {
	status := resp.GetHttpStatus()
	if status == 0 {
		return exchange{err: fmt.Errorf("imagesearch %s: SDK panicked before an answer was read: %s",
			action, Redact(fmt.Sprint(v)))}
	}
	body := resp.GetHttpContentBytes()
	return exchange{status: status, header: resp.GetHttpHeaders(), body: body, err: fromNonStringBody(action, status, body, v)}
}

// classify maps the SDK result (sdk-go-v1.md §3): nil error = 2xx,
// *ServerError = non-2xx, anything else = no usable answer.
func classify(action string, resp *responses.CommonResponse, err error) exchange {
	if err == nil {
		return exchange{status: resp.GetHttpStatus(), header: resp.GetHttpHeaders(), body: resp.GetHttpContentBytes()}
	}
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		body := resp.GetHttpContentBytes()
		return exchange{status: se.HttpStatus(), header: resp.GetHttpHeaders(), body: body, err: fromServerError(action, se, body)}
	}
	return exchange{err: newTransportError(action, err)}
}
