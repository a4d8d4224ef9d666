package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/user"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"hocso/locales"
	"hocso/store"
)

// env is what every command gets: parsed global flags, the localizer and
// lazily opened resources.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer // cleaned: see cleanWriter
	stderr io.Writer // cleaned
	term   io.Writer // the terminal as given, for the full-screen interface
	getenv func(string) string

	dbPath     string
	dbExplicit bool   // --db was given: its folder must exist
	lang       string // from --lang or the environment; "" when neither says
	accessible bool
	loc        *locales.Localizer
	started    func() // ends holdGC's hold once the interface has settled; nil when none
}

// run executes one invocation and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cleanOut, cleanErr := newCleanWriter(stdout), newCleanWriter(stderr)
	defer cleanOut.Flush()
	defer cleanErr.Flush()
	e := &env{ctx: ctx, stdin: stdin, stdout: cleanOut, stderr: cleanErr, term: stdout, getenv: getenv}
	stdout, stderr = cleanOut, cleanErr
	if opensTUI(args) {
		e.started = holdGC()
		defer e.started()
	}
	e.loc = locales.New(e.initialLang(args))
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, e.loc.T("CLIError", map[string]any{"Error": err.Error()}))
	return 1
}

// holdGC holds garbage collection back while the full-screen interface
// starts, and returns what ends the hold (at once, or later; once). Start-up
// allocates about 10 MB over a live heap of 2–4 MB: at the default GOGC the
// heap was collected three times before the first frame, about 5 of the 16
// ms from main to the first view here. During the hold a collection waits
// for five times the live heap, and for 128 MiB at most (unless GOMEMLIMIT
// asks for less). The pacer ends it when the interface first goes idle.
func holdGC() (end func()) {
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(-1)
	if limit > 128<<20 {
		debug.SetMemoryLimit(128 << 20)
	}
	return sync.OnceFunc(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
}

// opensTUI reports whether args open the full-screen interface for certain:
// flags only, each with its value after "=" (hocso --lang=en). A command or
// a flag's value given as the next argument may mean anything, and says no.
func opensTUI(args []string) bool {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") || a == "--" {
			return false
		}
	}
	return true
}

// initialLang is the language of messages before flags are parsed: --lang
// if given, else the environment.
func (e *env) initialLang(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			lang, _ := locales.Parse(v)
			return lang
		}
		if a == "--lang" && i+1 < len(args) {
			lang, _ := locales.Parse(args[i+1])
			return lang
		}
	}
	return locales.FromEnv(e.getenv)
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "hocso",
		Short:         e.loc.T("CLIShort"),
		Long:          e.loc.T("CLILong"),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          e.noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return e.runTUI(cmd.Context()) },
	}
	defaultDB := e.getenv("HOCSO_DB")
	if defaultDB == "" {
		defaultDB = DefaultDBPath(runtime.GOOS, e.getenv, accountHome)
	}
	stringFlag(root.PersistentFlags(), &e.dbPath, "db", "", e.loc.T("ArgFile"), defaultDB, e.loc.T("FlagDBUsage"))
	stringFlag(root.PersistentFlags(), &e.lang, "lang", "", e.loc.T("ArgLang"), "", e.loc.T("FlagLangUsage"))
	root.Flags().BoolVar(&e.accessible, "accessible", e.getenv("HOCSO_ACCESSIBLE") == "1", e.loc.T("FlagAccessibleUsage"))
	root.AddCommand(e.versionCommand(), e.learnerCommand(), e.progressCommand(), e.packCommand(),
		e.syncCommand(), e.devCommand(), e.serveCommand(), e.hubCommand(), e.xapiCommand(), e.doctorCommand(),
		e.reportCommand(), e.certificateCommand())
	e.localizeHelp(root)
	return root
}

// DefaultDBPath is the per-user data location of the database on each OS,
// or "" when no home folder can be found. An empty or relative HOME (a
// service account, a broken login script) falls back to the account's home
// folder from the system's user database, never to the current folder,
// where a learner's progress would be scattered over every folder hocso was
// started in.
func DefaultDBPath(goos string, getenv func(string) string, accountHome func() string) string {
	abs := func(dirs ...string) string {
		for _, d := range dirs {
			if filepath.IsAbs(d) {
				return d
			}
		}
		return ""
	}
	switch goos {
	case "windows":
		if d := abs(getenv("LOCALAPPDATA")); d != "" {
			return filepath.Join(d, "hocso", "hocso.db")
		}
		if home := abs(getenv("USERPROFILE"), accountHome()); home != "" {
			return filepath.Join(home, "AppData", "Local", "hocso", "hocso.db")
		}
		return ""
	}
	if d := abs(getenv("XDG_DATA_HOME")); d != "" && goos != "darwin" {
		return filepath.Join(d, "hocso", "hocso.db")
	}
	home := abs(getenv("HOME"), accountHome())
	switch {
	case home == "":
		return ""
	case goos == "darwin":
		return filepath.Join(home, "Library", "Application Support", "hocso", "hocso.db")
	}
	return filepath.Join(home, ".local", "share", "hocso", "hocso.db")
}

// accountHome is the home folder the system's user database gives the
// current account.
func accountHome() string {
	u, err := user.Current()
	if err != nil {
		return ""
	}
	return u.HomeDir
}

// needDB refuses to go on when no database file is known.
func (e *env) needDB() error {
	if e.dbPath == "" {
		return fail(e.loc.T("DBNoHome"))
	}
	return nil
}

// openStore opens the database, turning the reasons it can be refused into
// messages in the user's language.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	if err := e.needDB(); err != nil {
		return nil, err
	}
	if err := e.checkDBPath(); err != nil {
		return nil, err
	}
	if store.SlowUpgrade(e.dbPath) {
		fmt.Fprintln(e.stderr, e.loc.T("DBUpgrading", map[string]any{"Path": e.dbPath}))
	}
	s, err := store.Open(ctx, e.dbPath)
	if err == nil {
		e.placePacks(s)
		return s, nil
	}
	return nil, e.storeError(err)
}

// placePacks gives a PostgreSQL database its packs folder on this machine,
// in hocso's data folder: one per database (user, host and database name),
// since an install removes the folders it does not know. A database file
// keeps its packs beside it.
func (e *env) placePacks(s *store.Store) {
	if !store.IsPostgresDSN(e.dbPath) {
		return
	}
	home := DefaultDBPath(runtime.GOOS, e.getenv, accountHome)
	if home == "" {
		return // pack commands then say that no folder is known
	}
	key := e.dbPath
	if u, err := url.Parse(e.dbPath); err == nil {
		key = u.User.Username() + "@" + u.Host + "/" + strings.TrimPrefix(u.Path, "/")
	}
	sum := sha256.Sum256([]byte(key))
	s.SetPacksDir(filepath.Join(filepath.Dir(home), "postgres-"+hex.EncodeToString(sum[:6]), "packs"))
}

// storeError turns the reasons a database can be refused into messages in
// the user's language.
func (e *env) storeError(err error) error {
	data := map[string]any{"Path": e.dbPath, "Error": err.Error()}
	var se *store.SchemaError
	if errors.As(err, &se) {
		data["Found"], data["Supported"] = se.Found, se.Supported
	}
	switch {
	case errors.Is(err, store.ErrNewerSchema):
		return fail(e.loc.T("DBNewer", data))
	case se != nil:
		return fail(e.loc.T("DBSchemaInvalid", data))
	case errors.Is(err, store.ErrDiskFull):
		return fail(e.loc.T("DBDiskFull", data))
	case errors.Is(err, store.ErrForeign):
		return fail(e.loc.T("DBForeign", data))
	case errors.Is(err, store.ErrDamaged):
		return fail(e.loc.T("DBDamaged", data))
	case errors.Is(err, store.ErrNotDatabase):
		return fail(e.loc.T("DBNotDatabase", data))
	case errors.Is(err, store.ErrReadOnly):
		return fail(e.loc.T("DBReadOnly", data))
	}
	return fail(e.loc.T("DBOpenFailed", data))
}

// uiLang is the language of the TUI: --lang or HOCSO_LANG, else the learner's
// last choice on this device, else the system locale.
func (e *env) uiLang(ctx context.Context, s *store.Store) string {
	if e.lang != "" {
		lang, _ := locales.Parse(e.lang)
		return lang
	}
	if v := e.getenv("HOCSO_LANG"); v != "" {
		lang, _ := locales.Parse(v)
		return lang
	}
	if saved, err := s.Meta(ctx, "lang"); err == nil && saved != "" {
		return locales.Supported(saved)
	}
	return locales.FromEnv(e.getenv)
}
