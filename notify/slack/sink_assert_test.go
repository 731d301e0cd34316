package slack_test

import (
	"github.com/billwatch/billwatch/notify/slack"
	"github.com/billwatch/billwatch/tracker"
)

var (
	_ tracker.Sink             = (*slack.Sink)(nil)
	_ tracker.Reconciler       = (*slack.Sink)(nil)
	_ tracker.ThreadReconciler = (*slack.Sink)(nil)
)
