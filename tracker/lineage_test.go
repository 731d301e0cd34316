package tracker

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/billwatch/billwatch"
	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/internal/sampletest"
)

// sessionBills is a LEGISinfo stand-in that knows several sessions.
type sessionBills struct {
	mu      sync.Mutex
	list    map[string][]billwatch.Bill
	records map[string]billwatch.Bill // "44-1 C-26"
}

func (f *sessionBills) Bills(ctx context.Context, session string) ([]billwatch.Bill, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]billwatch.Bill(nil), f.list[session]...), nil
}

func (f *sessionBills) Bill(ctx context.Context, session, number string) (billwatch.Bill, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.records[session+" "+number]
	if !ok {
		return billwatch.Bill{}, nil, fmt.Errorf("record %s %s: 404", session, number)
	}
	return r, []byte(fmt.Sprintf("%+v", r)), nil
}

func (f *sessionBills) add(session, number, title, pubID string, activity time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := billwatch.Bill{Session: session, Number: number, Title: title, Status: "At second reading in the House of Commons", LatestActivityAt: activity,
		URL: "https://www.parl.ca/legisinfo/en/bill/" + session + "/" + strings.ToLower(number)}
	f.list[session] = append(f.list[session], b)
	rec := b
	rec.Detailed = true
	rec.Publications = []billwatch.Publication{{ID: pubID, Type: billwatch.FirstReading, Name: "First Reading"}}
	f.records[session+" "+number] = rec
}

func readSample(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(sampletest.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// scramble rewrites every word of a bill's text through a keyed substitution: the result has
// the same structure, the same section labels and the same length as a real bill, and none of
// its wording. It stands for an unrelated bill of the same shape.
func scramble(t testing.TB, src string, key string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(src))
	var out bytes.Buffer
	enc := xml.NewEncoder(&out)
	inLabel := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			inLabel = v.Name.Local == "Label" || v.Name.Local == "BillNumber"
		case xml.EndElement:
			inLabel = false
		case xml.CharData:
			if !inLabel {
				ws := strings.Fields(string(v))
				for i, w := range ws {
					h := fnv.New32a()
					h.Write([]byte(key + strings.ToLower(w)))
					ws[i] = fmt.Sprintf("w%x", h.Sum32()%5000)
				}
				tok = xml.CharData(" " + strings.Join(ws, " ") + " ")
			}
		case xml.ProcInst, xml.Directive:
			continue
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			t.Fatal(err)
		}
	}
	enc.Flush()
	return out.String()
}

// TestLineageRealTexts is the case: 44-1 C-26 (third reading) came back as 45-1 C-8
// (first reading). C-8 is linked to C-26 as a reintroduction, with the measure, and to no
// unrelated bill; the coalition's position on C-26 shows in C-8's bill.introduced alert.
func TestLineageRealTexts(t *testing.T) {
	t.Parallel()
	c26 := readSample(t, "bill-44-1-C-26-third-reading.xml")
	c8 := readSample(t, "bill-45-1-C-8-first-reading.xml")
	small, err := os.ReadFile("../diff/testdata/small-from.xml")
	if err != nil {
		t.Fatal(err)
	}

	h := newHarness(t)
	src := &sessionBills{list: map[string][]billwatch.Bill{}, records: map[string]billwatch.Bill{}}
	h.tr.Bills = src
	// 44-1: C-26, and a bill of C-26's shape and labels but other words.
	src.add("44-1", "C-26", "An Act respecting cyber security, amending the Telecommunications Act", "26", day(1))
	src.add("44-1", "C-27", "An Act respecting border security and surveillance", "27", day(1))
	h.texts.texts["26"] = c26
	h.texts.texts["27"] = scramble(t, c26, "other")
	if s := h.tr.ScrapeBills(t.Context(), "44-1"); s.Outcome != OK || s.Versions < 2 {
		t.Fatalf("44-1 pass: %s", s.Line())
	}
	if _, err := h.tr.Store.SetRecord(BillSubject("44-1", "C-26"), Edit{Position: ptr("oppose"), Owner: ptr("Léa")}, "lea", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := h.tr.Store.AddDocument(BillSubject("44-1", "C-26"), Document{Title: "brief", Date: "2023-03-01", URL: "https://example.org/c26-brief.pdf"}, "lea", t0); err != nil {
		t.Fatal(err)
	}

	// 45-1: a baseline with a small unrelated bill, then C-8 is introduced.
	src.add("45-1", "C-99", "An Act respecting border examples", "99", day(2))
	h.texts.texts["99"] = string(small)
	h.tr.ScrapeBills(t.Context(), "45-1")
	h.now = day(20)
	src.add("45-1", "C-8", "An Act respecting cyber security, amending the Telecommunications Act", "8", day(19))
	h.texts.texts["8"] = c8
	s := h.tr.ScrapeBills(t.Context(), "45-1")
	if s.Outcome != OK {
		t.Fatalf("45-1 pass: %s", s.Line())
	}

	links, err := h.tr.Store.Lineage("45-1", "C-8")
	if err != nil {
		t.Fatal(err)
	}
	want := LineageLink{Session: "44-1", Number: "C-26", Relation: Reintroduction, Carried: 14, Amended: 3, Of: 19}
	if len(links) != 1 || links[0] != want {
		t.Fatalf("Lineage(C-8) = %+v, want only %+v", links, want)
	}
	if got, wantLine := links[0].Line(), "reintroduces 44-1 C-26 (§ for §: 14 of 19 sections carried over, 3 amended)"; got != wantLine {
		t.Errorf("Line() = %q, want %q", got, wantLine)
	}
	back, _ := h.tr.Store.Lineage("44-1", "C-26")
	if len(back) != 1 || back[0].Key() != "45-1 C-8" || !back[0].Later {
		t.Errorf("Lineage(C-26) = %+v, want C-8 as its later reintroduction", back)
	}
	for _, other := range [][2]string{{"44-1", "C-27"}, {"45-1", "C-99"}} {
		if l, _ := h.tr.Store.Lineage(other[0], other[1]); len(l) != 0 {
			t.Errorf("unrelated %s %s linked: %+v", other[0], other[1], l)
		}
	}

	// Even compared provision by provision (past the index), same labels and other words
	// are no lineage.
	d26, _ := diff.ParseBytes([]byte(c26))
	d27, _ := diff.ParseBytes([]byte(h.texts.texts["27"]))
	if c, a, of := Measure(d26, d27); linked(c, a, of, len(d27.Provisions)) {
		t.Errorf("Measure(C-26, scrambled C-26) = %d carried, %d amended of %d: linked", c, a, of)
	}

	var intro *billwatch.Alert
	for i, a := range s.Alerts {
		if a.Kind == billwatch.KindBillIntroduced && a.Subject == "45-1 C-8" {
			intro = &s.Alerts[i]
		}
	}
	if intro == nil {
		t.Fatalf("no bill.introduced for C-8 among %v", h.kinds(s.Alerts))
	}
	for _, want := range []string{
		"Reintroduces 44-1 C-26 (§ for §: 14 of 19 sections carried over, 3 amended).",
		"Our position on 44-1 C-26: oppose · owner: Léa · brief of 2023-03-01",
		`billwatch memory carry C-8 --session 45-1 --from "44-1 C-26"`,
	} {
		if !strings.Contains(intro.Text, want) {
			t.Errorf("C-8 bill.introduced text lacks %q:\n%s", want, intro.Text)
		}
	}
	if intro.Severity != billwatch.Urgent {
		t.Errorf("C-8 bill.introduced severity %s, want urgent (action raised by oppose)", intro.Severity)
	}
	link, rec, ok, err := h.tr.Store.Inherited("45-1", "C-8")
	if err != nil || !ok || link.Key() != "44-1 C-26" || rec.Position != PositionOppose {
		t.Errorf("Inherited(C-8) = %+v %+v %v %v", link, rec, ok, err)
	}
	// Carrying the record over gives C-8 its own, with the history saying so.
	r, err := h.tr.Store.CarryOver(BillSubject("44-1", "C-26"), BillSubject("45-1", "C-8"), "lea", t0)
	if err != nil || r.Position != PositionOppose || len(r.Documents) != 1 {
		t.Fatalf("CarryOver = %+v, %v", r, err)
	}
	hist, _ := h.tr.Store.History(BillSubject("45-1", "C-8"))
	if last := hist[len(hist)-1]; last.Field != "carried" || !strings.HasPrefix(last.After, "from bill 44-1 C-26; decided there: position by lea") {
		t.Errorf("last history entry = %+v", last)
	}
}
