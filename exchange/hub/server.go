package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hocso/store"
)

// Limits of what one request may carry. The defaults suit a batch of a few
// thousand events from one PC.
type Limits struct {
	// MaxBody is the largest request body accepted, as sent (compressed).
	MaxBody int64
	// MaxDecoded is the largest body once decompressed: a guard against gzip bombs.
	MaxDecoded int64
	// MaxEvents is the most events one batch may hold.
	MaxEvents int
	// Rate is the requests per second one token may make on average, Burst at once.
	Rate  float64
	Burst int
}

// DefaultLimits are the limits `hocso serve` uses unless told otherwise.
var DefaultLimits = Limits{MaxBody: 8 << 20, MaxDecoded: 64 << 20, MaxEvents: 5000, Rate: 20, Burst: 40}

// Server answers the hub's HTTP API from one store.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	limits  Limits
	limiter *rateLimiter
	now     func() time.Time
}

// NewServer makes a hub server on s. A nil logger discards logs.
func NewServer(s *store.Store, log *slog.Logger, limits Limits) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{store: s, log: log, limits: limits, limiter: newRateLimiter(limits.Rate, limits.Burst), now: time.Now}
}

// Handler routes the API.
func (srv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/healthz", srv.healthz)
	mux.HandleFunc("POST /api/v1/events", srv.authed(srv.postEvents))
	mux.HandleFunc("GET /api/v1/events", srv.authed(srv.getEvents))
	return mux
}

// apiError is the body of every error response: a stable code a client can
// act on (and translate) and a message in English for logs.
type apiError struct {
	Code    string   `json:"error"`
	Message string   `json:"message"`
	Line    int      `json:"line,omitempty"`
	Learner []string `json:"learners,omitempty"`
}

// Error codes of the API.
const (
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden_learner"
	CodeTooLarge     = "too_large"
	CodeRateLimited  = "rate_limited"
	CodeBadRequest   = "bad_request"
	CodeNotFound     = "not_found"
	CodeInternal     = "internal"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, e)
}

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := srv.store.Ping(ctx); err != nil {
		srv.log.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

type tokenKey struct{}

// authed checks the bearer token and the token's rate before h runs.
func (srv *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		tok, err := checkToken(r.Context(), srv.store, strings.TrimSpace(raw))
		if !ok || errors.Is(err, ErrBadToken) {
			srv.log.Warn("refused token", "remote", r.RemoteAddr, "path", r.URL.Path)
			w.Header().Set("WWW-Authenticate", `Bearer realm="hocso"`)
			writeError(w, http.StatusUnauthorized, apiError{Code: CodeUnauthorized, Message: "missing, invalid or revoked token"})
			return
		}
		if err != nil {
			srv.internal(w, r, err)
			return
		}
		if ok, wait := srv.limiter.allow(tok.ID, srv.now()); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Round(time.Second)/time.Second))))
			writeError(w, http.StatusTooManyRequests, apiError{Code: CodeRateLimited,
				Message: fmt.Sprintf("too many requests for token %s; retry after %s", tok.ID, wait.Round(time.Millisecond))})
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, tok)))
	}
}

func (srv *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	srv.log.Error("request failed", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, apiError{Code: CodeInternal, Message: "the hub could not complete the request; retry later"})
}

func requestToken(r *http.Request) store.HubToken {
	t, _ := r.Context().Value(tokenKey{}).(store.HubToken)
	return t
}
