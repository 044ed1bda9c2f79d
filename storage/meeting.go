package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sunledger/app"
)

var _ app.MeetingService = MeetingService{}

// notAfterToday refuses a day after the book's today: minutes are written after the fact.
func (tx *Tx) notAfterToday(what, whatEN, day string) error {
	if today := tx.now.Local().Format(app.MeetingDateLayout); day > today {
		return &app.Error{Code: app.EINVALID,
			ZH: fmt.Sprintf("%s %s 晚于今天（%s）；会议和跟进在发生后登记；没有做任何更改", what, day, today),
			EN: fmt.Sprintf("%s %s is after today (%s); meetings and follow-ups are recorded after they happen; nothing was changed", whatEN, day, today)}
	}
	return nil
}

// NewMeeting records a joint meeting with its attendees, issues and decisions.
func (s MeetingService) NewMeeting(ctx context.Context, m app.Meeting, who string) (app.Meeting, error) {
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		n, err := tx.next("meeting")
		if err != nil {
			return err
		}
		m, err = tx.prepareMeeting(m, app.MeetingID(n), who, false)
		if err != nil {
			return err
		}
		if err := tx.meetingAgenda(&m, who); err != nil {
			return err
		}
		if err := tx.put(meetingKey(m.ID), m); err != nil {
			return err
		}
		return tx.audit(who, "meeting.new", fmt.Sprintf("%s %s %s; %d issues, %d decisions", m.ID, m.Date, m.Place, len(m.Issues), len(m.Decisions)), m.Topic)
	})
	return m, err
}

// prepareMeeting numbers a meeting's issues and decisions, stamps it and checks it,
// and its days against the book's clock. Follow-ups are kept only when importing.
func (tx *Tx) prepareMeeting(m app.Meeting, id, who string, keepFollow bool) (app.Meeting, error) {
	m.ID, m.At = id, tx.now.UTC()
	if m.Who == "" || !keepFollow {
		m.Who = who
	}
	m.Issues = append([]app.MeetingIssue(nil), m.Issues...)
	for i := range m.Issues {
		m.Issues[i].No = i + 1
	}
	m.Decisions = append([]app.Decision(nil), m.Decisions...)
	for i := range m.Decisions {
		d := &m.Decisions[i]
		d.No, d.ID = i+1, app.DecisionID(id, i+1)
		if !keepFollow {
			d.Follow = nil
		}
		for j := range d.Follow {
			if d.Follow[j].At.IsZero() {
				d.Follow[j].At = tx.now.UTC()
			}
			if d.Follow[j].Who == "" {
				d.Follow[j].Who = who
			}
		}
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	if err := tx.notAfterToday("会议日期", "the meeting date", m.Date); err != nil {
		return m, err
	}
	for _, is := range m.Issues {
		if err := tx.requireUnits(is.Units); err != nil {
			return m, err
		}
	}
	for _, d := range m.Decisions {
		if err := tx.requireUnits(d.Units); err != nil {
			return m, err
		}
		for _, f := range d.Follow {
			if err := tx.notAfterToday("跟进日期", "the follow-up date", f.Date); err != nil {
				return m, err
			}
		}
	}
	return m, nil
}

// ImportMeetings records meetings held earlier in one transaction.
func (s MeetingService) ImportMeetings(ctx context.Context, ms []app.Meeting, who, why string) error {
	return s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		first := ""
		for i, m := range ms {
			n, err := tx.next("meeting")
			if err != nil {
				return err
			}
			// The follow-ups go through the same rules, in order, as one by one.
			src := m.Decisions
			m.ID, m.Decisions = app.MeetingID(n), nil
			for j, d := range src {
				follow := d.Follow
				d.No, d.ID, d.Follow = j+1, app.DecisionID(m.ID, j+1), nil
				m.Decisions = append(m.Decisions, d)
				for _, f := range follow {
					if m, _, err = m.AddFollowUp(d.ID, f); err != nil {
						return meetingRefusal(i, err)
					}
				}
			}
			if m, err = tx.prepareMeeting(m, app.MeetingID(n), who, true); err != nil {
				return meetingRefusal(i, err)
			}
			if err := tx.meetingAgenda(&m, who); err != nil {
				return err
			}
			if first == "" {
				first = m.ID
			}
			if err := tx.put(meetingKey(m.ID), m); err != nil {
				return err
			}
		}
		if len(ms) == 0 {
			return nil
		}
		return tx.audit(who, "meeting.import", fmt.Sprintf("%d meetings from %s", len(ms), first), why)
	})
}

// requireUnits refuses a unit not in the register: meetings name units, and only real ones.
func (tx *Tx) requireUnits(units []string) error {
	for _, u := range units {
		if ok, err := tx.has(unitKey(u)); err != nil {
			return err
		} else if !ok {
			return app.Errorf(app.ENOTFOUND, "登记册里没有房号 %s；没有做任何更改，请检查房号", "unit %s is not in the register; nothing was changed: check the unit", u)
		}
	}
	return nil
}

func meetingRefusal(i int, err error) error {
	return &app.Error{Code: app.ErrorCode(err),
		ZH: fmt.Sprintf("第 %d 次会议：%s；没有导入任何会议", i+1, errZH(err)),
		EN: fmt.Sprintf("meeting %d: %s; no meeting was imported", i+1, errEN(err))}
}

func (tx *Tx) meeting(id string) (app.Meeting, error) {
	var m app.Meeting
	ok, err := tx.get(meetingKey(strings.ToUpper(strings.TrimSpace(id))), &m)
	if err == nil && !ok {
		return m, app.Errorf(app.ENOTFOUND, "没有编号为 %s 的联席会议；没有做任何更改", "there is no joint meeting %s; nothing was changed", id)
	}
	return m, err
}

// AddDecision adds a decision to a meeting already recorded.
func (s MeetingService) AddDecision(ctx context.Context, meeting string, d app.Decision, who string) (app.Decision, error) {
	err := s.db.update(func(tx *Tx) error {
		m, err := tx.meeting(meeting)
		if err != nil {
			return err
		}
		if m, d, err = m.AddDecision(d); err != nil {
			return err
		}
		if err := tx.requireUnits(d.Units); err != nil {
			return err
		}
		for _, id := range d.Requests {
			if _, err := tx.serviceRequest(id); err != nil {
				return err
			}
		}
		for _, id := range d.Expenses {
			if _, err := tx.expense(id); err != nil {
				return err
			}
		}
		if err := tx.put(meetingKey(m.ID), m); err != nil {
			return err
		}
		return tx.audit(who, "meeting.decide", fmt.Sprintf("%s %s due %s", d.ID, d.Party, d.Due), d.Text)
	})
	return d, err
}

// FollowUpDecision appends a follow-up to a decision.
func (s MeetingService) FollowUpDecision(ctx context.Context, id string, f app.FollowUp, who string) (app.Decision, error) {
	var d app.Decision
	err := s.db.update(func(tx *Tx) error {
		mid, _, err := app.SplitDecisionID(id)
		if err != nil {
			return err
		}
		m, err := tx.meeting(mid)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return app.Errorf(app.ENOTFOUND, "没有编号为 %s 的决议；没有做任何更改", "there is no decision %s; nothing was changed", id)
		} else if err != nil {
			return err
		}
		f.Who, f.At = who, tx.now.UTC()
		if m, d, err = m.AddFollowUp(strings.ToUpper(strings.TrimSpace(id)), f); err != nil {
			return err
		}
		if err := tx.notAfterToday("跟进日期", "the follow-up date", f.Date); err != nil {
			return err
		}
		if err := tx.put(meetingKey(m.ID), m); err != nil {
			return err
		}
		what := d.ID + " " + f.Date
		if f.Mark != "" {
			what += " " + f.Mark
		}
		return tx.audit(who, "meeting.follow", what, f.Note)
	})
	return d, err
}

// Meeting returns one meeting.
func (s MeetingService) Meeting(ctx context.Context, id string) (app.Meeting, error) {
	return read(s.db, func(tx *Tx) (app.Meeting, error) { return tx.meeting(id) })
}

// Meetings lists every meeting in id order.
func (s MeetingService) Meetings(ctx context.Context) ([]app.Meeting, error) {
	return read(s.db, func(tx *Tx) ([]app.Meeting, error) { return all[app.Meeting](tx, prefixMeeting) })
}

// OpenDecisions lists the open and overdue decisions at the book's clock.
func (s MeetingService) OpenDecisions(ctx context.Context) ([]app.OpenDecision, error) {
	return read(s.db, func(tx *Tx) ([]app.OpenDecision, error) {
		ms, err := all[app.Meeting](tx, prefixMeeting)
		return app.OpenDecisions(ms, tx.now), err
	})
}

// SetDutyList records the next version of the duty list.
func (s MeetingService) SetDutyList(ctx context.Context, l app.DutyList, who, why string) (app.DutyList, error) {
	if err := l.Validate(); err != nil {
		return l, err
	}
	err := s.db.update(func(tx *Tx) error {
		if err := tx.requireBook(); err != nil {
			return err
		}
		if err := tx.notAfterToday("清单日期", "the list's date", l.Date); err != nil {
			return err
		}
		n, err := tx.next("duty")
		if err != nil {
			return err
		}
		l.Version, l.Who, l.Why, l.At = int(n), who, why, tx.now.UTC()
		if err := tx.put(dutyKey(l.Version), l); err != nil {
			return err
		}
		return tx.audit(who, "meeting.duties", fmt.Sprintf("version %d of %s, %d items", l.Version, l.Date, len(l.Items)), why)
	})
	return l, err
}

// DutyList returns version n, the newest for n = 0.
func (s MeetingService) DutyList(ctx context.Context, n int) (app.DutyList, error) {
	return read(s.db, func(tx *Tx) (app.DutyList, error) {
		var l app.DutyList
		if n == 0 {
			var last int64
			if _, err := tx.get(keySeq+"duty", &last); err != nil {
				return l, err
			}
			if last == 0 {
				return l, app.Errorf(app.ENOTFOUND, "还没有登记权责清单；用 meeting duties set 文件 登记第一版", "no duty list has been recorded yet; record the first with meeting duties set FILE")
			}
			n = int(last)
		}
		ok, err := tx.get(dutyKey(n), &l)
		if err == nil && !ok {
			return l, app.Errorf(app.ENOTFOUND, "权责清单没有第 %d 版", "the duty list has no version %d", n)
		}
		return l, err
	})
}

// DutyLists lists every version, oldest first.
func (s MeetingService) DutyLists(ctx context.Context) ([]app.DutyList, error) {
	return read(s.db, func(tx *Tx) ([]app.DutyList, error) { return all[app.DutyList](tx, prefixDuty) })
}

// meetingAgenda puts on meeting m the service requests it takes up (app.MeetingAgenda)
// as they stood at the end of its day (or now, for a meeting held today), and escalates
// each of them not yet escalated since it was last reopened: an escalation event at
// that time naming the meeting, audited as service.escalate (docs/meetings.md
// "Escalated requests").
func (tx *Tx) meetingAgenda(m *app.Meeting, who string) error {
	day, err := time.ParseInLocation(app.DateLayout, m.Date, time.Local)
	if err != nil {
		return app.Errorf(app.EINVALID, "会议日期 %q 不是 YYYY-MM-DD", "the meeting date %q is not YYYY-MM-DD", m.Date)
	}
	at := day.Add(24*time.Hour - time.Second)
	if at.After(tx.now) {
		at = tx.now.Truncate(time.Second)
	}
	vs, err := tx.serviceStandards()
	if err != nil {
		return err
	}
	reqs, err := all[app.ServiceRequest](tx, prefixService)
	if err != nil {
		return err
	}
	m.Agenda = app.MeetingAgenda(reqs, vs, at)
	byID := make(map[string]app.ServiceRequest, len(reqs))
	for _, r := range reqs {
		byID[r.ID] = r
	}
	for _, it := range m.Agenda {
		r := byID[it.Request]
		if r.Closed() {
			continue
		}
		if esc, ok := r.Event(app.EventEscalate); ok {
			if reo, reopened := r.Event(app.EventReopen); !reopened || !reo.At.After(esc.At) {
				continue // on the agenda already since it was last reopened
			}
		}
		text := app.T("联席会议 ", "joint meeting ") + m.ID + app.T(" 自动列入议程（", " took it up automatically (") + it.Why + app.T("）", ")")
		x, err := r.AddEvent(app.ServiceEvent{Kind: app.EventEscalate, At: at, Who: who, Text: text})
		if err != nil {
			continue
		}
		if err := tx.putServiceRequest(x); err != nil {
			return err
		}
		if err := tx.audit(who, "service.escalate", fmt.Sprintf("%s escalate %s auto %s", r.ID, app.FormatServiceTime(at), m.ID), text); err != nil {
			return err
		}
	}
	return nil
}
