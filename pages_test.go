package billwatch

import "testing"

func TestAlertPagePath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a    Alert
		want string
	}{
		{Alert{Kind: KindBillIntroduced, Subject: "45-1 C-30"}, "/bills/45-1/C-30"},
		{Alert{Kind: KindBillAmended, Subject: "45-1 C-12", Page: DiffPath("45-1", "C-12", "first-reading", "amended-by-committee", "p-2-1")}, "/bills/45-1/C-12/diff?from=first-reading&to=amended-by-committee#p-2-1"},
		{Alert{Kind: KindHearingReminder, Subject: "SECU 45-1 meeting 25"}, "/hearings/45-1/SECU/25"},
		{Alert{Kind: KindRegulationProposed, Subject: "Gazette 2026-11-21-reg1"}, "/regulations/I/2026-11-21-reg1"},
		{Alert{Kind: KindDeadlineReminder, Subject: "Gazette 2026-11-21-reg1"}, "/regulations/I/2026-11-21-reg1"},
		{Alert{Kind: KindRegulationFinal, Subject: "Gazette 2026-11-25-sor-dors231"}, "/regulations/II/2026-11-25-sor-dors231"},
		{Alert{Kind: KindSourceUnhealthy, Subject: "source bills"}, "/status"},
		{Alert{Kind: KindHearingChanged, Subject: "odd subject"}, "/alerts"},
		{Alert{Kind: KindBillStage, Subject: "45-1 C-1/../../x"}, "/bills/45-1/C-1%2F..%2F..%2Fx"},
	} {
		if got := c.a.PagePath(); got != c.want {
			t.Errorf("PagePath(%s %q) = %q, want %q", c.a.Kind, c.a.Subject, got, c.want)
		}
	}
}
