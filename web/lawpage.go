package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/billwatch/billwatch/diff"
	"github.com/billwatch/billwatch/law"
	"github.com/billwatch/billwatch/scraper/justice"
	"github.com/billwatch/billwatch/tracker"
)

// lawData is the page of what a bill text does to the consolidated Acts.
type lawData struct {
	Bill     *tracker.StoredBill
	Result   *law.Result
	Version  tracker.StoredText
	Act      string // the ?act= filter, empty for all
	Acts     []lawActView
	Fetched  []tracker.VersionJSON
	AllActs  []law.ActResult // every Act the text amends, for the filter
	Headline string
}

type lawActView struct {
	law.ActResult
	Effects []lawEffectView
}

// lawEffectView is one effect with its redline: the word diff of a replacement, the
// whole text inserted for an addition or deleted for a repeal.
type lawEffectView struct {
	law.Effect
	Anchor  string
	Summary string
	Status  string
	Redline []diff.Op
	// Before is the text in force with the words struck out marked, After the text as the
	// bill would make it with the words added marked.
	Before, After []diff.Op
}

func lawEffects(a law.ActResult) []lawEffectView {
	var out []lawEffectView
	for i, e := range a.Effects {
		v := lawEffectView{Effect: e, Anchor: fmt.Sprintf("%s-%d", a.Code, i+1), Summary: e.Summary(), Status: e.Status()}
		if e.Applied {
			switch {
			case len(e.Ops) > 0:
				v.Redline = e.Ops
			case e.Before != "" && e.After == "":
				v.Redline = []diff.Op{{Op: diff.OpDelete, Text: e.Before}}
			case e.After != "":
				v.Redline = []diff.Op{{Op: diff.OpInsert, Text: e.After}}
			}
		}
		for _, o := range v.Redline {
			if o.Op != diff.OpInsert {
				v.Before = append(v.Before, o)
			}
			if o.Op != diff.OpDelete {
				v.After = append(v.After, o)
			}
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) lawPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	act := strings.ToUpper(q.Get("act")) // codes are upper case: t-3.4 is T-3.4
	if act != "" && !justice.ValidCode(act) {
		return badParam("act", "%q is not an Act code (they read like T-3.4)", act)
	}
	sn, err := s.data()
	if err != nil {
		return err
	}
	b, done, err := s.billFromPath(w, r, sn)
	if err != nil || done {
		return err
	}
	var tv tracker.StoredText
	if v := q.Get("version"); v == "" {
		for _, x := range b.Versions {
			if x.Fetched {
				tv = x
			}
		}
		if tv.ID == "" {
			return notFound("No text version of bill %s %s is stored yet: its effect on the law is not known.", b.Session, b.Number)
		}
	} else if tv, err = pickVersion(b, "version", v); err != nil {
		return err // 404, as on the diff page: the bill has no such version
	}
	if s.opt.Law == nil {
		return fmt.Errorf("web: no law reader configured")
	}
	store, err := tracker.OpenReadOnly(s.opt.DB)
	if err != nil {
		return err
	}
	payload, err := store.Payload(tv.Hash)
	if err != nil {
		return err
	}
	res, err := s.opt.Law(payload)
	if err != nil {
		return fmt.Errorf("bill %s %s, version %s: %w", b.Session, b.Number, tv.Type, err)
	}
	res.Session, res.Bill, res.Version = b.Session, b.Number, tv.Type
	all := append([]law.ActResult(nil), res.Acts...)
	if act != "" && !res.Only(act) {
		return badParam("act", "bill %s %s (%s) does not amend the Act %s", b.Session, b.Number, tv.Name, act)
	}
	res.Annotate()
	if wantsJSON(r) {
		var buf bytes.Buffer
		if err := law.Render(&buf, res, "json", false); err != nil {
			return err
		}
		writeJSONBytes(w, r, buf.Bytes())
		return nil
	}
	d := lawData{Bill: b, Result: res, Version: tv, Act: act, AllActs: all, Headline: res.Headline()}
	for _, a := range res.Acts {
		d.Acts = append(d.Acts, lawActView{ActResult: a, Effects: lawEffects(a)})
	}
	for _, v := range b.VersionsJSON() {
		if v.Fetched {
			d.Fetched = append(d.Fetched, v)
		}
	}
	title := fmt.Sprintf("%s: effect on the law", b.Number)
	s.render(w, r, http.StatusOK, "law", s.page(sn, title, "bills", d))
	return nil
}
