package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"hocso/locales"
	"hocso/store"
)

// usageFail is a mistake on the command line: a message and exit code 2.
func usageFail(msg string) error { return &exitError{msg: msg, code: 2} }

// checkGlobalFlags refuses an unknown language and a database path that
// cannot be one, before any command runs: in the user's language, exit 2.
func (e *env) checkGlobalFlags(c *cobra.Command) error {
	if e.lang != "" {
		lang, ok := locales.Parse(e.lang)
		if !ok {
			return usageFail(e.loc.T("LangUnknown", map[string]any{"Lang": e.lang, "Supported": "vi, en"}))
		}
		e.lang = lang
	}
	if f := c.Flags().Lookup("db"); f != nil && f.Changed {
		e.dbExplicit = true
	}
	return nil
}

// checkDBPath refuses a --db that names a folder, or a file in a folder that
// does not exist: a typo must not create folders and an empty database. The
// default path (and HOCSO_DB, set up once for a PC) is created on first run.
func (e *env) checkDBPath() error {
	if e.dbPath == "" || store.IsPostgresDSN(e.dbPath) {
		return nil // a PostgreSQL address names no folder
	}
	if st, err := os.Stat(e.dbPath); err == nil && st.IsDir() {
		return usageFail(e.loc.T("DBIsFolder", map[string]any{"Path": e.dbPath}))
	}
	if !e.dbExplicit {
		return nil
	}
	data := map[string]any{"Path": e.dbPath}
	dir := filepath.Dir(e.dbPath)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		data["Folder"] = dir
		return usageFail(e.loc.T("DBFolderMissing", data))
	case err == nil && !st.IsDir():
		data["Folder"] = dir
		return usageFail(e.loc.T("DBFolderMissing", data))
	}
	return nil
}
