package harness

import "runtime/debug"

// version is stamped at build time (-ldflags "-X github.com/imagesearch-conformance/conformance/suites/harness.version=v1.2.3").
var version string

// Version is the suite's version for the reports: the stamped one, else the module version and VCS
// revision the binary was built from.
func Version() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}
