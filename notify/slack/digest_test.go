package slack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/billwatch/billwatch"
)

func TestRenderDigest(t *testing.T) {
	t.Parallel()
	var alerts []billwatch.Alert
	for i := range 60 {
		alerts = append(alerts, billwatch.Alert{
			ID: fmt.Sprintf("a%02d", i), Kind: billwatch.KindBillStage, Severity: billwatch.Info, Audience: billwatch.Policy,
			Subject: fmt.Sprintf("45-1 C-%d", i+1), Title: "<!channel> An Act <@U123> & more",
			Why:   "status changed <https://evil.example|click>",
			Links: []billwatch.Link{{Label: "LEGISinfo", URL: "https://www.parl.ca/legisinfo/en/bill/45-1/c-1"}},
		})
	}
	text, blocks := renderDigest("digest-1", alerts)
	if len(blocks) > 50 {
		t.Errorf("renderDigest(60 alerts) = %d blocks, want at most 50", len(blocks))
	}
	js, _ := json.Marshal(blocks)
	all := text + string(js)
	for _, bad := range []string{"<!channel>", "<@U123>", "<https://evil"} {
		if strings.Contains(all, bad) {
			t.Errorf("digest carries %q unescaped", bad)
		}
	}
	for _, want := range []string{"billwatch digest: 60 updates", "and 15 more", "billwatch alert digest-1", "https://www.parl.ca/legisinfo/en/bill/45-1/c-1|LEGISinfo"} {
		if !strings.Contains(all, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
}
