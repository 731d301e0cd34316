package web

import (
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// fallback answers what no route takes with billwatch's own pages: the mux's 404, and its 405
// with the Allow header it computes from the routes registered for the path (so that `PUT
// /watch` is told GET, HEAD and POST, and `GET /signout` POST). A catch-all route would
// shadow that computation.
func (s *Server) fallback(m *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := m.Handler(r)
		if pattern != "" {
			m.ServeHTTP(w, r) // the mux itself sets the path's values
			return
		}
		// No route: the mux answers 404, 405 or a redirect to the cleaned path. Keep its
		// status and Allow, write billwatch's page.
		buf := &bufferedWriter{header: http.Header{}}
		h.ServeHTTP(buf, r)
		switch buf.status {
		case http.StatusNotFound:
			s.writeError(w, r, notFound("There is no page at %s.", r.URL.Path))
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", buf.header.Get("Allow"))
			s.writeError(w, r, &httpError{status: http.StatusMethodNotAllowed, title: "Method not allowed", msg: r.Method + " is not served at " + r.URL.Path + ": it answers " + buf.header.Get("Allow") + "."})
		default:
			buf.replay(w)
		}
	})
}

// staticFiles serves the embedded style sheet and icon: a file that exists, nothing else (no
// directory listing), and billwatch's 404 page for the rest.
func (s *Server) staticFiles() http.Handler {
	static, _ := fs.Sub(staticFS, "static")
	files := cacheFor(24*time.Hour, http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if fi, err := fs.Stat(static, name); name == "" || !fs.ValidPath(name) || err != nil || fi.IsDir() {
			s.writeError(w, r, notFound("There is no file at %s.", r.URL.Path))
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path, r2.URL.RawPath = "/"+name, ""
		files.ServeHTTP(w, r2)
	})
}
