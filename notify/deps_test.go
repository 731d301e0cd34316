package notify

import (
	"go/build"
	"strings"
	"testing"
)

// DESIGN.md's dependency rule: the sinks in notify/* never import the tracker (its drain
// reads their billwatch.DeliveryError). Test files may, to check a sink against its
// interfaces.
func TestSinksDoNotImportTracker(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{".", "slack"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("notify/%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if imp == "github.com/billwatch/billwatch/tracker" || strings.HasPrefix(imp, "github.com/billwatch/billwatch/tracker/") {
				t.Errorf("notify/%s imports %s outside its tests", dir, imp)
			}
		}
	}
}
