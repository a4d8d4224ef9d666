package hub

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"hocso/exchange/eventline"
	"hocso/store"
)

// BatchReply is the hub's answer to a batch: the ids it now holds durably
// (new and already there alike), which the device may acknowledge.
type BatchReply struct {
	Stored     []string `json:"stored"`
	New        int      `json:"new"`
	Duplicates int      `json:"duplicates"`
	// Conflicts are the ids among the duplicates that came with content
	// other than the stored event's: the hub keeps the event it had and the
	// other version apart (store/conflicts.go); they are stored all the same.
	Conflicts []string `json:"conflicts,omitempty"`
}

// forbiddenError lists the learners a token may not send events of.
type forbiddenError struct{ learners []string }

func (e *forbiddenError) Error() string {
	return fmt.Sprintf("the token's unit does not include learners %v", e.learners)
}

// errTooLarge is a body past the limits, whichever limit it passed.
var errTooLarge = errors.New("request body too large")

// badLine is an event line the hub cannot accept.
type badLine struct {
	line int
	err  error
}

func (e *badLine) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

func (srv *Server) postEvents(w http.ResponseWriter, r *http.Request) {
	start := srv.now()
	tok := requestToken(r)
	evs, err := srv.readBatch(w, r)
	var bl *badLine
	switch {
	case errors.Is(err, errTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, apiError{Code: CodeTooLarge, Message: fmt.Sprintf(
			"a batch may hold %d bytes (%d unpacked) and %d events; send smaller batches",
			srv.limits.MaxBody, srv.limits.MaxDecoded, srv.limits.MaxEvents)})
		return
	case errors.As(err, &bl):
		writeError(w, http.StatusBadRequest, apiError{Code: CodeBadRequest, Message: bl.Error(), Line: bl.line})
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, apiError{Code: CodeBadRequest, Message: err.Error()})
		return
	}
	res, err := srv.store.Ingest(r.Context(), evs, func(units store.LearnerUnits) error {
		return allowUnits(tok.UnitPath, evs, units)
	})
	var fe *forbiddenError
	if errors.As(err, &fe) {
		srv.log.Warn("refused batch", "token", tok.ID, "unit", tok.UnitPath, "learners", fe.learners)
		writeError(w, http.StatusForbidden, apiError{Code: CodeForbidden, Message: fe.Error(), Learner: fe.learners})
		return
	}
	if err != nil {
		srv.internal(w, r, err)
		return
	}
	stored := make([]string, 0, len(evs))
	for _, ev := range evs {
		stored = append(stored, ev.ID)
	}
	slices.Sort(stored)
	stored = slices.Compact(stored)
	reply := BatchReply{Stored: stored, New: len(res.New), Duplicates: len(stored) - len(res.New)}
	for _, c := range res.Conflicts {
		reply.Conflicts = append(reply.Conflicts, c.ID)
	}
	if len(reply.Conflicts) > 0 {
		srv.log.Warn("events differ from the stored ones with their ids; both versions kept",
			"token", tok.ID, "ids", reply.Conflicts)
	}
	srv.log.Info("batch stored", "token", tok.ID, "events", len(evs), "new", len(res.New),
		"duplicates", res.Duplicates, "conflicts", len(res.Conflicts), "ms", srv.now().Sub(start).Milliseconds())
	writeJSON(w, http.StatusOK, reply)
}

// allowUnits refuses a batch when any of its learners, by any unit they have
// stored or in the batch's profiles, lies outside the token's unit. A learner
// the hub knows no unit for is refused too: the device sends each learner's
// profile along with their events.
func allowUnits(scope string, evs []store.Event, units store.LearnerUnits) error {
	var refused []string
	seen := map[string]bool{}
	for _, ev := range evs {
		if seen[ev.LearnerID] {
			continue
		}
		seen[ev.LearnerID] = true
		us := units[ev.LearnerID]
		ok := len(us) > 0
		for _, u := range us {
			ok = ok && UnitCovers(scope, u)
		}
		if !ok {
			refused = append(refused, ev.LearnerID)
		}
	}
	if len(refused) > 0 {
		slices.Sort(refused)
		return &forbiddenError{learners: refused}
	}
	return nil
}

// maxLine is the longest event line accepted; an event is far smaller.
const maxLine = 1 << 20

// readBatch reads the body: JSON lines of events, gzip-compressed when
// Content-Encoding says so. It is refused whole at the first bad line.
func (srv *Server) readBatch(w http.ResponseWriter, r *http.Request) ([]store.Event, error) {
	var body io.Reader = http.MaxBytesReader(w, r.Body, srv.limits.MaxBody)
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, tooLarge(fmt.Errorf("gzip: %w", err))
		}
		defer zr.Close()
		body = zr
	}
	lim := &io.LimitedReader{R: body, N: srv.limits.MaxDecoded + 1}
	sc := bufio.NewScanner(lim)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var evs []store.Event
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(evs) == srv.limits.MaxEvents {
			return nil, errTooLarge
		}
		ev, err := decodeEvent(b)
		if err != nil {
			return nil, &badLine{line: line, err: err}
		}
		evs = append(evs, ev)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, errTooLarge
		}
		return nil, tooLarge(err)
	}
	if lim.N <= 0 {
		return nil, errTooLarge
	}
	if len(evs) == 0 {
		return nil, errors.New("the batch holds no events")
	}
	return evs, nil
}

// tooLarge turns a read error caused by the body limit into errTooLarge.
func tooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge
	}
	return err
}

// decodeEvent parses and checks one event line.
func decodeEvent(b []byte) (store.Event, error) {
	var ev store.Event
	if err := eventline.Unmarshal(b, &ev); err != nil {
		return ev, fmt.Errorf("not an event: %w", err)
	}
	switch {
	case uuid.Validate(ev.ID) != nil:
		return ev, fmt.Errorf("id %q is not a UUID", ev.ID)
	case ev.LearnerID == "" || len(ev.LearnerID) > 128:
		return ev, fmt.Errorf("event %s: learner_id is missing or too long", ev.ID)
	case ev.Kind == "" || len(ev.Kind) > 64:
		return ev, fmt.Errorf("event %s: kind is missing or too long", ev.ID)
	case ev.Time.IsZero() || ev.Time.Year() < 2000 || ev.Time.Year() > 9999:
		return ev, fmt.Errorf("event %s: time is missing or out of range", ev.ID)
	case len(ev.Payload) > 0 && ev.Payload[0] != '{': // valid JSON: the decoder checked
		return ev, fmt.Errorf("event %s: payload is not a JSON object", ev.ID)
	}
	if err := ev.CheckText(); err != nil {
		return ev, err
	}
	if len(ev.Payload) == 0 {
		ev.Payload = json.RawMessage("{}") // as the store keeps it
	}
	ev.Time = ev.Time.UTC().Truncate(time.Nanosecond)
	return ev, nil
}

// getEvents sends every event of one learner, for `hocso sync pull`.
func (srv *Server) getEvents(w http.ResponseWriter, r *http.Request) {
	tok := requestToken(r)
	id := r.URL.Query().Get("learner")
	if id == "" {
		writeError(w, http.StatusBadRequest, apiError{Code: CodeBadRequest, Message: "name a learner: ?learner=ID"})
		return
	}
	l, err := srv.store.Learner(r.Context(), id)
	if errors.Is(err, store.ErrNoLearner) {
		writeError(w, http.StatusNotFound, apiError{Code: CodeNotFound, Message: "the hub has no learner " + id})
		return
	}
	if err != nil {
		srv.internal(w, r, err)
		return
	}
	if !UnitCovers(tok.UnitPath, l.UnitPath) {
		writeError(w, http.StatusForbidden, apiError{Code: CodeForbidden, Message: "the token's unit does not include this learner", Learner: []string{id}})
		return
	}
	evs, err := srv.store.Events(r.Context(), id)
	if err != nil {
		srv.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	for _, ev := range evs {
		if err := enc.Encode(ev); err != nil {
			srv.log.Warn("pull interrupted", "token", tok.ID, "err", err)
			return
		}
	}
	zw.Close()
	srv.log.Info("pull", "token", tok.ID, "learner", id, "events", len(evs))
}
