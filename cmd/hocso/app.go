package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"hocso/locales"
	"hocso/store"
)

// env is what every command gets: parsed global flags, the localizer and
// lazily opened resources.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	dbPath     string
	lang       string // from --lang or the environment; "" when neither says
	accessible bool
	loc        *locales.Localizer
}

// run executes one invocation and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
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
		fmt.Fprintln(stderr, ee.msg)
		return ee.code
	}
	fmt.Fprintln(stderr, e.loc.T("CLIError", map[string]any{"Error": err.Error()}))
	return 1
}

// initialLang is the language of messages before flags are parsed: --lang
// if given, else the environment.
func (e *env) initialLang(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--lang="); ok {
			return locales.Supported(v)
		}
		if a == "--lang" && i+1 < len(args) {
			return locales.Supported(args[i+1])
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
		defaultDB = DefaultDBPath(runtime.GOOS, e.getenv)
	}
	stringFlag(root.PersistentFlags(), &e.dbPath, "db", "", e.loc.T("ArgFile"), defaultDB, e.loc.T("FlagDBUsage"))
	stringFlag(root.PersistentFlags(), &e.lang, "lang", "", e.loc.T("ArgLang"), "", e.loc.T("FlagLangUsage"))
	root.Flags().BoolVar(&e.accessible, "accessible", e.getenv("HOCSO_ACCESSIBLE") == "1", e.loc.T("FlagAccessibleUsage"))
	root.AddCommand(e.versionCommand(), e.learnerCommand(), e.progressCommand(), e.packCommand(),
		e.syncCommand(), e.devCommand())
	e.localizeHelp(root)
	return root
}

// DefaultDBPath is the per-user data location of the database on each OS.
func DefaultDBPath(goos string, getenv func(string) string) string {
	home := getenv("HOME")
	switch goos {
	case "windows":
		if d := getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "hocso", "hocso.db")
		}
		return filepath.Join(getenv("USERPROFILE"), "AppData", "Local", "hocso", "hocso.db")
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "hocso", "hocso.db")
	}
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "hocso", "hocso.db")
	}
	return filepath.Join(home, ".local", "share", "hocso", "hocso.db")
}

// openStore opens the database, turning the reasons it can be refused into
// messages in the user's language.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	s, err := store.Open(ctx, e.dbPath)
	if err == nil {
		return s, nil
	}
	data := map[string]any{"Path": e.dbPath, "Error": err.Error()}
	var se *store.SchemaError
	switch {
	case errors.As(err, &se):
		data["Found"], data["Supported"] = se.Found, se.Supported
		return nil, fail(e.loc.T("DBNewer", data))
	case errors.Is(err, store.ErrNotDatabase):
		return nil, fail(e.loc.T("DBNotDatabase", data))
	case errors.Is(err, store.ErrReadOnly):
		return nil, fail(e.loc.T("DBReadOnly", data))
	}
	return nil, fail(e.loc.T("DBOpenFailed", data))
}

// uiLang is the language of the TUI: --lang or HOCSO_LANG, else the learner's
// last choice on this device, else the system locale.
func (e *env) uiLang(ctx context.Context, s *store.Store) string {
	if e.lang != "" {
		return locales.Supported(e.lang)
	}
	if v := e.getenv("HOCSO_LANG"); v != "" {
		return locales.Supported(v)
	}
	if saved, err := s.Meta(ctx, "lang"); err == nil && saved != "" {
		return locales.Supported(saved)
	}
	return locales.FromEnv(e.getenv)
}
