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

// admit reports whether the call fits its operation's QPS limit: by default at most N accepted in any
// one-second window (ref §1.10; building blocks §4; the design is a freedom, see behaviour.limiter). A
// refused call consumes nothing.
func (s *Server) admit(c *call) bool {
	if c.inst.cfg.Unlimited || s.b.unthrottled {
		return true
	}
	group, limit := qpsGroup(c.action, c.inst.cfg)
	if s.limits.Allow(c.inst.cfg.Name+"/"+group, limit, s.opts.Now()) {
		return true
	}
	if s.b.lateAdmission[c.action] {
		c.deniedAfter = true // the operation runs, then answers the throttling error
		return true
	}
	return false
}
