package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Parse reads a schedule spec from the configuration. Words are case-insensitive; times are
// 24-hour Eastern wall-clock times; durations are Go durations (90s, 30m, 3h, 1h30m) of at
// least MinInterval.
//
//	spec     = part { ";" part }             the earliest next time of every part
//	part     = interval | sitting | weekly | daily
//	interval = [ "every" ] DURATION           "30m", "every 30m"
//	sitting  = DURATION "sitting," DURATION "otherwise"
//	                                          "30m sitting, 3h otherwise" (see IsSittingTime)
//	weekly   = WEEKDAY HH:MM [ "every" N "weeks from" YYYY-MM-DD ]
//	                                          "fri 14:00", "wed 09:00 every 2 weeks from 2026-01-07"
//	daily    = "daily" HH:MM                  "daily 08:00"
//	WEEKDAY  = mon | tue | wed | thu | fri | sat | sun, or the full English name
//
// An every-N-weeks schedule runs first on its anchor date, which must fall on its weekday.
// The returned schedule's String method gives the spec back in canonical form.
func Parse(spec string) (Schedule, error) {
	rawParts := strings.Split(spec, ";")
	var parts []Schedule
	for _, raw := range rawParts {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return nil, fmt.Errorf("schedule %q: empty part (want a duration such as 30m, a weekday and time such as fri 14:00, or daily 08:00)", spec)
		}
		s, err := parsePart(raw)
		if err != nil {
			if len(rawParts) > 1 {
				return nil, fmt.Errorf("schedule %q: part %q: %w", spec, raw, err)
			}
			return nil, fmt.Errorf("schedule %q: %w", spec, err)
		}
		parts = append(parts, s)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return earliest(parts), nil
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

var weekdayNames = map[time.Weekday]string{
	time.Sunday: "sun", time.Monday: "mon", time.Tuesday: "tue", time.Wednesday: "wed",
	time.Thursday: "thu", time.Friday: "fri", time.Saturday: "sat",
}

func parsePart(part string) (Schedule, error) {
	// Commas only decorate the sitting form; "30m sitting 3h otherwise" reads the same.
	words := strings.Fields(strings.ReplaceAll(strings.ToLower(part), ",", " "))
	every := words[0] == "every"
	if every {
		words = words[1:]
		if len(words) == 0 {
			return nil, errors.New(`nothing after "every" (want a duration such as 30m)`)
		}
	}
	if words[0] == "daily" {
		if every {
			return nil, errors.New(`"every daily": write "daily HH:MM"`)
		}
		if len(words) != 2 {
			return nil, errors.New(`want "daily HH:MM", such as daily 08:00`)
		}
		h, m, err := parseClock(words[1])
		if err != nil {
			return nil, err
		}
		return calendar{daily: true, hour: h, minute: m}, nil
	}
	if wd, ok := weekdays[words[0]]; ok {
		if every {
			return nil, fmt.Errorf(`"every %s": write "%s HH:MM"`, words[0], words[0])
		}
		return parseWeekly(wd, words[1:])
	}
	d, err := parseInterval(words[0])
	if err != nil {
		return nil, err
	}
	switch {
	case len(words) == 1:
		return interval{d: d}, nil
	case len(words) == 4 && words[1] == "sitting" && words[3] == "otherwise":
		other, err := parseInterval(words[2])
		if err != nil {
			return nil, err
		}
		return sitting{during: d, otherwise: other}, nil
	}
	return nil, fmt.Errorf(`unexpected %q after %s (want "%s" alone or "%s sitting, 3h otherwise")`,
		strings.Join(words[1:], " "), words[0], words[0], words[0])
}

func parseInterval(word string) (time.Duration, error) {
	d, err := time.ParseDuration(word)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration, a weekday or \"daily\" (want e.g. 30m, fri 14:00, daily 08:00)", word)
	}
	if d < MinInterval {
		return 0, fmt.Errorf("interval %s is shorter than %s", word, MinInterval)
	}
	return d, nil
}

func parseWeekly(wd time.Weekday, words []string) (Schedule, error) {
	if len(words) == 0 {
		return nil, fmt.Errorf("%s needs a time, such as %s 14:00", weekdayNames[wd], weekdayNames[wd])
	}
	h, m, err := parseClock(words[0])
	if err != nil {
		return nil, err
	}
	s := calendar{weekday: wd, hour: h, minute: m, weeks: 1}
	rest := words[1:]
	if len(rest) == 0 {
		return s, nil
	}
	// every N week(s) from YYYY-MM-DD
	if len(rest) != 5 || rest[0] != "every" || (rest[2] != "weeks" && rest[2] != "week") || rest[3] != "from" {
		return nil, fmt.Errorf(`unexpected %q (want "every N weeks from YYYY-MM-DD")`, strings.Join(rest, " "))
	}
	n, err := strconv.Atoi(rest[1])
	if err != nil || n < 1 || n > 52 {
		return nil, fmt.Errorf("week count %q is not a number from 1 to 52", rest[1])
	}
	anchor, err := time.Parse("2006-01-02", rest[4])
	if err != nil {
		return nil, fmt.Errorf("anchor date %q is not YYYY-MM-DD", rest[4])
	}
	if anchor.Weekday() != wd {
		return nil, fmt.Errorf("anchor date %s is a %s, not a %s", rest[4], anchor.Weekday(), wd)
	}
	if n == 1 {
		return s, nil // every week: the anchor adds nothing
	}
	s.weeks = n
	s.anchor = civilDay{anchor.Year(), anchor.Month(), anchor.Day()}
	return s, nil
}

// parseClock reads a 24-hour HH:MM (or H:MM).
func parseClock(word string) (hour, minute int, err error) {
	hs, ms, ok := strings.Cut(word, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 || !digits(hs) || !digits(ms) {
		return 0, 0, fmt.Errorf("time %q is not HH:MM (24-hour, Eastern)", word)
	}
	hour, _ = strconv.Atoi(hs)
	minute, _ = strconv.Atoi(ms)
	if hour > 23 || minute > 59 {
		return 0, 0, fmt.Errorf("time %q is out of range 00:00-23:59", word)
	}
	return hour, minute, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
