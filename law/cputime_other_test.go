//go:build !unix

package law

import "time"

func cpuTime() time.Duration { return 0 }
