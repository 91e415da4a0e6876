package emulator

import "github.com/imagesearch-conformance/conformance/contract"

// qpsGroup names the limiter an operation draws from and its limit on the instance (ref §1.10). The search
// operations and CheckImageExists share the instance's purchased search QPS.
func qpsGroup(action string, cfg Instance) (string, int) {
	switch action {
	case contract.OpUpdateImage:
		return action, contract.UpdateImageQPS
	case contract.OpDeleteImage:
		return action, contract.DeleteImageQPS
	case contract.OpAddImage:
		return action, contract.AddImageLimit(cfg.Capacity)
	case contract.OpDetail:
		return action, contract.DetailQPS
	}
	return "search", cfg.SearchQPS
}

// admit reports whether the call fits its operation's QPS window: at most N accepted in any one-second window
// (ref §1.10; building blocks §4). A refused call consumes nothing.
func (s *Server) admit(c *call) bool {
	if c.inst.cfg.Unlimited || s.mutant(mutNoThrottling) {
		return true
	}
	group, limit := qpsGroup(c.action, c.inst.cfg)
	if s.limits.Allow(c.inst.cfg.Name+"/"+group, limit, s.opts.Now()) {
		return true
	}
	if c.action == contract.OpUpdateImage && s.mutant(mutThrottledUpdateApplied) {
		c.deniedAfter = true // the mutant applies the update, then answers DeniedRequest
		return true
	}
	return false
}

// deniedError is the data-plane throttling error: 403 DeniedRequest (ref §1.10, §2.4).
func (s *Server) deniedError() *apiError {
	if s.mutant(mutThrottleWrongStatus) {
		return &apiError{Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control."}
	}
	return &contract.DeniedRequest
}
