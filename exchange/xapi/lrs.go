package xapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hocso/exchange"
	"hocso/store"
)

// LRS is a Learning Record Store's statements resource.
type LRS struct {
	// URL is the LRS endpoint; statements go to URL + "/statements".
	URL            string
	User, Password string
	HTTP           *http.Client
	Backoff        exchange.Backoff
	OnRetry        func(attempt int, wait time.Duration, err error)
}

// NewLRS makes a client with the default retry policy.
func NewLRS(endpoint, user, password string) (*LRS, error) {
	u, err := url.Parse(strings.TrimRight(endpoint, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("LRS address %q: use https://host/path/to/xapi", endpoint)
	}
	return &LRS{URL: u.String(), User: user, Password: password, HTTP: &http.Client{Timeout: 2 * time.Minute},
		Backoff: exchange.Backoff{Attempts: 6, First: time.Second, Max: 30 * time.Second}}, nil
}

// StatusError is an answer from the LRS that is not a success.
type StatusError struct {
	Status int
	Body   string
}

func (e *StatusError) Error() string { return fmt.Sprintf("LRS answered %d: %s", e.Status, e.Body) }

func (e *StatusError) temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// Send delivers statements. The LRS already holding a statement (409 for
// the batch, then 204 or 409 for the statement alone) counts as delivered:
// the id is the event's, so it is the same statement.
func (l *LRS) Send(ctx context.Context, sts []Statement) error {
	body, err := json.Marshal(sts)
	if err != nil {
		return err
	}
	err = l.request(ctx, http.MethodPost, l.URL+"/statements", body)
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusConflict {
		return err
	}
	// Some statement of the batch is there already: send them one by one.
	for _, st := range sts {
		b, _ := json.Marshal(st)
		err := l.request(ctx, http.MethodPut, l.URL+"/statements?statementId="+url.QueryEscape(st.ID), b)
		if errors.As(err, &se) && se.Status == http.StatusConflict {
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (l *LRS) request(ctx context.Context, method, target string, body []byte) error {
	return l.Backoff.Retry(ctx, func() (bool, time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
		if err != nil {
			return false, 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Experience-API-Version", Version)
		req.SetBasicAuth(l.User, l.Password)
		hc := l.HTTP
		if hc == nil {
			hc = http.DefaultClient
		}
		resp, err := hc.Do(req)
		if err != nil {
			return true, 0, err
		}
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusNoContent {
			return false, 0, nil
		}
		se := &StatusError{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return se.temporary(), time.Duration(after) * time.Second, se
	}, l.OnRetry)
}

// PushResult is what a push delivered.
type PushResult struct {
	Statements int   `json:"statements"`
	Events     int   `json:"events"` // events passed, statements or not
	Cursor     int64 `json:"cursor"`
}

// DefaultBatch is how many statements one request carries.
const DefaultBatch = 200

// Push sends the statements of every event not yet delivered to this LRS, in
// batches, moving a cursor (a device setting named after the LRS) after each
// delivered batch, so that an interrupted push resumes where it stopped.
func Push(ctx context.Context, s *store.Store, m *Mapper, l *LRS, batch int, progress func(sent, total int)) (PushResult, error) {
	var res PushResult
	if batch <= 0 {
		batch = DefaultBatch
	}
	key := "xapi_sent_seq:" + l.URL
	cur, err := s.Meta(ctx, key)
	if err != nil {
		return res, err
	}
	res.Cursor, _ = strconv.ParseInt(cur, 10, 64)
	plan, err := s.PlanExport(ctx, true)
	if err != nil {
		return res, err
	}
	start := res.Cursor
	total := max(0, plan.ToSeq-start)
	for from := res.Cursor; from < plan.ToSeq; {
		to := min(from+int64(batch), plan.ToSeq)
		var sts []Statement
		r := store.ExportRange{DeviceID: plan.DeviceID, FromSeq: from, ToSeq: to}
		err := s.ExportEvents(ctx, r, func(seq int64, ev store.Event) error {
			if seq <= from {
				return nil // a profile sent along: no statement
			}
			res.Events++
			st, err := m.Statement(ctx, ev)
			if errors.Is(err, ErrNoStatement) {
				return nil
			}
			sts = append(sts, st)
			return err
		})
		if err != nil {
			return res, err
		}
		if len(sts) > 0 {
			if err := l.Send(ctx, sts); err != nil {
				return res, err
			}
		}
		if err := s.SetMeta(ctx, key, strconv.FormatInt(to, 10)); err != nil {
			return res, err
		}
		res.Statements += len(sts)
		res.Cursor, from = to, to
		if progress != nil {
			progress(int(to-start), int(total))
		}
	}
	return res, nil
}
