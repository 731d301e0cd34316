// Package urlfetch stands in for google.golang.org/appengine/urlfetch, the one package of the
// App Engine SDK that colly imports (for Collector.Appengine, which billwatch never calls).
// The real SDK registers protocol buffers and App Engine internals at start-up, about a third
// of the start-up CPU of every billwatch command; go.mod replaces it with this package. Outside
// App Engine, a urlfetch client is a plain HTTP client, and that is what this one is.
package urlfetch

import (
	"context"
	"net/http"
)

// Client returns a plain HTTP client; ctx is unused, as it is outside App Engine.
func Client(ctx context.Context) *http.Client { return &http.Client{} }
