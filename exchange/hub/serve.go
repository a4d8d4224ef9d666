package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ErrInsecureListen is returned for a non-loopback address without TLS and
// without Insecure: tokens and personal data would cross the network in clear.
var ErrInsecureListen = errors.New("refusing to listen beyond this computer without TLS")

// ListenConfig says where and how the hub listens.
type ListenConfig struct {
	Addr     string // host:port; the default binds loopback only
	TLSCert  string // certificate and key files; both or neither
	TLSKey   string
	Insecure bool // allow plain HTTP on a non-loopback address (behind a TLS proxy)
	// Ready, when set, is called with the address actually bound (useful with port 0).
	Ready func(addr net.Addr)
}

// DefaultAddr is where `hocso serve` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8787"

// CheckListen refuses a configuration that would expose the hub in clear.
func CheckListen(c ListenConfig) error {
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("give both --tls-cert and --tls-key, or neither")
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", c.Addr, err)
	}
	if c.TLSCert != "" || c.Insecure || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("%s: %w", c.Addr, ErrInsecureListen)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve runs the API until ctx ends, then stops taking requests and waits
// (up to a minute) for the batches in flight to be stored and answered.
func Serve(ctx context.Context, c ListenConfig, h http.Handler, log *slog.Logger) error {
	if err := CheckListen(c); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests keep running when ctx ends: Shutdown lets them finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	tls := c.TLSCert != ""
	log.Info("hub listening", "addr", ln.Addr().String(), "tls", tls)
	if c.Ready != nil {
		c.Ready(ln.Addr())
	}
	done := make(chan error, 1)
	go func() {
		if tls {
			done <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("hub stopping; finishing requests in flight")
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("hub stopped")
	return nil
}
