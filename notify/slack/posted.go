package slack

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// Bounds of the searches behind Posted: history pages of historyLimit messages, threads whose
// parent is at most threadLookback older than since, and channel-list pages.
const (
	historyLimit    = 200
	maxHistoryPages = 20
	maxThreads      = 50
	threadLookback  = 120 * 24 * time.Hour
	maxListPages    = 50
)

// Posted looks in channel for a message of alert id posted at or after since, so that the
// tracker does not post an alert twice after a crash. It reads conversations.history (and the
// replies of threads active since then, since a threaded alert is a reply) and recognises a
// message by its metadata, or failing that by the alert marker in its text. It needs the
// channels:history scope (groups:history for private channels) and, for a channel given by
// name, channels:read to find its ID.
//
// Its errors are *billwatch.DeliveryError: permanent when retrying cannot help (missing_scope,
// channel_not_found).
func (s *Sink) Posted(ctx context.Context, id, channel string, since time.Time) (string, bool, error) {
	ref, found, err := s.find(ctx, id, channel, "", since)
	return ref, found, delivery(err)
}

// PostedInThread is Posted for a reply in a known thread (the ts of its first message): one
// conversations.replies call, however old the thread.
func (s *Sink) PostedInThread(ctx context.Context, id, channel, thread string, since time.Time) (string, bool, error) {
	ref, found, err := s.find(ctx, id, channel, thread, since)
	return ref, found, delivery(err)
}

// find looks for alert id in thread, or when thread is "", in the channel and its active threads.
func (s *Sink) find(ctx context.Context, id, channel, thread string, since time.Time) (string, bool, error) {
	chID, err := s.channelID(ctx, channel)
	if err != nil {
		return "", false, err
	}
	sinceTS := formatTS(since)
	if thread != "" {
		return s.findInThread(ctx, id, channel, chID, thread, sinceTS)
	}
	var parents []string
	cursor := ""
	for page := 0; page < maxHistoryPages; page++ {
		resp, err := s.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID:          chID,
			Cursor:             cursor,
			Inclusive:          true,
			Limit:              historyLimit,
			Oldest:             formatTS(since.Add(-threadLookback)),
			IncludeAllMetadata: true,
		})
		if err != nil {
			return "", false, classify("read history of", channel, s.set.token, err)
		}
		for _, m := range resp.Messages {
			if !tsBefore(m.Timestamp, sinceTS) && isAlert(m, id) {
				return m.Timestamp, true, nil
			}
			if m.ReplyCount > 0 && !tsBefore(m.LatestReply, sinceTS) && len(parents) < maxThreads {
				parents = append(parents, m.Timestamp)
			}
		}
		cursor = resp.ResponseMetaData.NextCursor
		if !resp.HasMore || cursor == "" {
			break
		}
	}
	for _, p := range parents {
		ref, found, err := s.findInThread(ctx, id, channel, chID, p, sinceTS)
		if err != nil || found {
			return ref, found, err
		}
	}
	return "", false, nil
}

// findInThread looks for alert id among the replies to parent posted at or after sinceTS.
func (s *Sink) findInThread(ctx context.Context, id, channel, chID, parent, sinceTS string) (string, bool, error) {
	cursor := ""
	for page := 0; page < maxHistoryPages; page++ {
		msgs, more, next, err := s.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID:          chID,
			Timestamp:          parent,
			Cursor:             cursor,
			Inclusive:          true,
			Limit:              historyLimit,
			Oldest:             sinceTS,
			IncludeAllMetadata: true,
		})
		if err != nil {
			return "", false, classify("read thread of", channel, s.set.token, err)
		}
		for _, m := range msgs {
			if !tsBefore(m.Timestamp, sinceTS) && isAlert(m, id) {
				return m.Timestamp, true, nil
			}
		}
		if !more || next == "" {
			break
		}
		cursor = next
	}
	return "", false, nil
}

// isAlert reports whether m is the message of alert id: by metadata, or by the marker that
// ends its text (for messages whose metadata Slack did not return).
func isAlert(m slack.Message, id string) bool {
	if m.Metadata.EventType == MetadataEventType {
		if v, ok := m.Metadata.EventPayload["alert_id"].(string); ok {
			return v == id
		}
	}
	return strings.HasSuffix(strings.TrimSpace(m.Text), textMarker(id))
}

// channelID resolves a channel name to the ID conversations.history needs, from what posting
// taught us or from conversations.list.
func (s *Sink) channelID(ctx context.Context, channel string) (string, error) {
	if channelIDRe(channel) {
		return channel, nil
	}
	s.mu.Lock()
	id, ok := s.ids[channel]
	s.mu.Unlock()
	if ok {
		return id, nil
	}
	name := strings.TrimPrefix(channel, "#")
	cursor := ""
	for page := 0; page < maxListPages; page++ {
		chans, next, err := s.api.GetConversationsContext(ctx, &slack.GetConversationsParameters{
			Cursor: cursor,
			Limit:  historyLimit,
			Types:  []string{"public_channel", "private_channel"},
		})
		if err != nil {
			return "", classify("find channel", channel, s.set.token, err)
		}
		for _, c := range chans {
			s.remember("#"+c.Name, c.ID)
			if c.Name == name {
				return c.ID, nil
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return "", &Error{Op: "find channel", Channel: channel, Code: "channel_not_found", permanent: true,
		msg: "channel_not_found: " + permanentCodes["channel_not_found"]}
}

// channelIDRe reports whether s is already a channel ID.
func channelIDRe(s string) bool { return channelID.MatchString(s) }

// formatTS writes t as a Slack timestamp ("1700000000.000100").
func formatTS(t time.Time) string {
	if t.IsZero() || t.Unix() < 0 {
		return "0"
	}
	return fmt.Sprintf("%d.%06d", t.Unix(), t.Nanosecond()/1000)
}

// tsBefore reports whether Slack timestamp a is earlier than b, comparing seconds then
// microseconds exactly (a float64 would round).
func tsBefore(a, b string) bool {
	as, af := splitTS(a)
	bs, bf := splitTS(b)
	return as < bs || (as == bs && af < bf)
}

func splitTS(ts string) (sec, micro int64) {
	s, f, _ := strings.Cut(ts, ".")
	sec, _ = strconv.ParseInt(s, 10, 64)
	f = (f + "000000")[:6]
	micro, _ = strconv.ParseInt(f, 10, 64)
	return sec, micro
}
