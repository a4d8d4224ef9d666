package hub

import (
	"bufio"
	"bytes"
	"compress/gzip"
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
	"hocso/exchange/eventline"
	"hocso/store"
)

// Client talks to a hub for one device.
type Client struct {
	// URL is the hub's base address, such as https://hub.example.gov.vn.
	URL   string
	Token string
	// HTTP is the client requests go through; nil means one with a timeout.
	HTTP *http.Client
	// Attempts is how many times a request is tried before giving up;
	// Backoff is the first wait between tries, doubled each time up to MaxBackoff.
	Attempts   int
	Backoff    time.Duration
	MaxBackoff time.Duration
	// OnRetry, when set, hears about each failed try that will be retried.
	OnRetry func(attempt int, wait time.Duration, err error)
}

// NewClient makes a client with the default retry policy.
func NewClient(baseURL, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hub address %q: use http://host:port or https://host", baseURL)
	}
	return &Client{URL: u.String(), Token: token, HTTP: &http.Client{Timeout: 2 * time.Minute},
		Attempts: 8, Backoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second}, nil
}

// APIError is a refusal from the hub.
type APIError struct {
	Status   int
	Code     string
	Message  string
	Learners []string
	// RetryAfter is how long the hub asked to wait (429).
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

// temporary says whether trying again later may succeed.
func (e *APIError) temporary() bool {
	return e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// SendBatch sends events and returns what the hub confirmed it holds. It
// retries network failures, 5xx and 429 with exponential backoff; a refusal
// (401, 403, 413, 400) is returned at once as an *APIError.
func (c *Client) SendBatch(ctx context.Context, evs []store.Event) (BatchReply, error) {
	var buf bytes.Buffer
	// The fastest level: event lines still shrink about 5×, and compressing
	// harder costs the device more time than it saves on any office link.
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	var line []byte
	for _, ev := range evs {
		var err error
		if line, err = eventline.Append(line[:0], ev); err != nil {
			return BatchReply{}, fmt.Errorf("encode event %s: %w", ev.ID, err)
		}
		zw.Write(line)
	}
	if err := zw.Close(); err != nil {
		return BatchReply{}, err
	}
	body := buf.Bytes()
	var reply BatchReply
	err := c.retry(ctx, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL+"/api/v1/events", bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Content-Encoding", "gzip")
		return c.do(req, func(r io.Reader) error { return json.NewDecoder(r).Decode(&reply) })
	})
	return reply, err
}

// Pull fetches every event the hub holds for one learner.
func (c *Client) Pull(ctx context.Context, learnerID string) ([]store.Event, error) {
	var evs []store.Event
	err := c.retry(ctx, func() error {
		evs = evs[:0]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			c.URL+"/api/v1/events?learner="+url.QueryEscape(learnerID), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept-Encoding", "gzip")
		return c.do(req, func(r io.Reader) error {
			zr, err := gzip.NewReader(r)
			if err != nil {
				return err
			}
			sc := bufio.NewScanner(zr)
			sc.Buffer(make([]byte, 64<<10), maxLine)
			for sc.Scan() {
				ev, err := decodeEvent(sc.Bytes())
				if err != nil {
					return fmt.Errorf("event from hub: %w", err)
				}
				evs = append(evs, ev)
			}
			return sc.Err()
		})
	})
	return evs, err
}

// Health asks the hub whether it and its database answer.
func (c *Client) Health(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL+"/api/v1/healthz", nil)
	if err != nil {
		return err
	}
	return c.do(req, func(io.Reader) error { return nil })
}

// do sends one request with the token and reads a 200 answer with read.
func (c *Client) do(req *http.Request, read func(io.Reader) error) error {
	req.Header.Set("Authorization", "Bearer "+c.Token)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return read(resp.Body)
	}
	var body apiError
	json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	e := &APIError{Status: resp.StatusCode, Code: body.Code, Message: body.Message, Learners: body.Learner}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// retry runs f with the client's retry policy: network failures, 5xx and
// 429 are tried again; other refusals are final.
func (c *Client) retry(ctx context.Context, f func() error) error {
	policy := exchange.Backoff{Attempts: c.Attempts, First: c.Backoff, Max: c.MaxBackoff}
	return policy.Retry(ctx, func() (bool, time.Duration, error) {
		err := f()
		var ae *APIError
		if errors.As(err, &ae) {
			return ae.temporary(), ae.RetryAfter, err
		}
		return true, 0, err
	}, c.OnRetry)
}
