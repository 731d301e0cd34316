package slack

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/billwatch/billwatch"
)

// maxDigestItems keeps a digest within Slack's 50 blocks: a header, the items, a closing line
// and the marker.
const maxDigestItems = 45

// SendDigest posts several info alerts as one message, the daily digest of a channel, and
// returns its ts. id identifies the digest for reconciliation, as an alert id does. Like Send,
// it makes one attempt and returns a *billwatch.DeliveryError.
func (s *Sink) SendDigest(ctx context.Context, id, channel string, alerts []billwatch.Alert) (string, error) {
	text, blocks := renderDigest(id, alerts)
	opts := []slack.MsgOption{
		slack.MsgOptionText(text, false),
		slack.MsgOptionMetadata(metadata(billwatch.Alert{ID: id, Kind: "digest"})),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
		slack.MsgOptionBlocks(blocks...),
	}
	ts, err := s.post(ctx, channel, opts)
	if err != nil {
		return "", delivery(err)
	}
	s.log.Debug("digest posted", "digest", id, "channel", channel, "ts", ts, "alerts", len(alerts))
	return ts, nil
}

// renderDigest builds the digest message: one line per alert (what, to what, why, first link),
// every piece of scraped text escaped.
func renderDigest(id string, alerts []billwatch.Alert) (string, []slack.Block) {
	title := fmt.Sprintf("billwatch digest: %d update", len(alerts))
	if len(alerts) != 1 {
		title += "s"
	}
	blocks := []slack.Block{slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, false, false))}
	var fb strings.Builder
	fb.WriteString(title + "\n")
	for i, a := range alerts {
		if i == maxDigestItems {
			more := fmt.Sprintf("… and %d more: see `billwatch alerts`", len(alerts)-i)
			blocks = append(blocks, section("more", more))
			fb.WriteString(more + "\n")
			break
		}
		emoji, label := kindLabel(a.Kind)
		md := fmt.Sprintf("%s *%s* · %s", emoji, esc(label), esc(a.Subject))
		if a.Title != "" {
			md += " — " + esc(short(a.Title, 200, identity))
		}
		md += "\n" + esc(short(a.Why, 400, identity))
		for _, l := range links(a) {
			if l.url != "" {
				md += "\n" + mrkdwnLink(l)
				break
			}
		}
		blocks = append(blocks, section(fmt.Sprintf("item-%d", i), md))
		fmt.Fprintf(&fb, "• %s · %s: %s\n", label, esc(a.Subject), esc(short(a.Why, 200, identity)))
	}
	blocks = append(blocks, slack.NewContextBlock("marker", slack.NewTextBlockObject(slack.MarkdownType, textMarker(id), false, false)))
	fb.WriteString(textMarker(id))
	text, _ := cut(fb.String(), 3900, identity)
	return text, blocks
}
