package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/quiz/gift"
	"hocso/store"
)

// packExportGiftCommand makes `pack export-gift`: a module's quiz (or every
// quiz of a pack) written as GIFT that Moodle imports.
func (e *env) packExportGiftCommand() *cobra.Command {
	var lang, module, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "export-gift " + e.loc.T("ArgExportSource"),
		Short: e.loc.T("CmdPackExportGiftShort"),
		Long:  e.loc.T("CmdPackExportGiftLong"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			p, mods, err := e.exportSource(ctx, args[0], module)
			if err != nil {
				return err
			}
			if lang == "" {
				lang = quiz.DefaultLang
			}
			if !p.HasLanguage(lang) {
				return fail(e.loc.T("ExportNoLanguage", map[string]any{"Lang": oneLine(lang), "Pack": p.ID}))
			}
			var buf bytes.Buffer
			count := 0
			for _, m := range mods {
				if m.Quiz == nil {
					continue
				}
				if len(mods) > 1 {
					// One Moodle category per module keeps the pack's shape.
					fmt.Fprintf(&buf, "$CATEGORY: $course$/top/%s\n\n", oneLine(m.Title.In(lang)))
				}
				skipped, err := gift.WriteGIFT(&buf, m.Quiz, lang)
				if err != nil {
					return err
				}
				for _, id := range skipped {
					fmt.Fprintf(e.stderr, "%s: %s: %s\n", oneLine(id), e.loc.T("ImportSkipped"), e.loc.T("ExportSkippedOrdering"))
				}
				count += len(m.Quiz.Questions) - len(skipped)
			}
			if count == 0 {
				return fail(e.loc.T("ExportNothing", map[string]any{"Source": oneLine(args[0])}))
			}
			if out == "" || out == "-" {
				_, err := e.stdout.Write(buf.Bytes())
				return err
			}
			if _, err := os.Stat(out); err == nil && !force {
				return fail(e.loc.T("ImportExists", map[string]any{"File": out}))
			}
			if err := writeReplace(out, buf.Bytes(), 0o644); err != nil {
				return fail(e.loc.T("ImportWriteFailed", map[string]any{"File": out, "Error": err.Error()}))
			}
			fmt.Fprintln(e.stdout, e.loc.N("ExportDone", count, map[string]any{"File": out}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &lang, "text-lang", "", e.loc.T("ArgTextLang"), "vi", e.loc.T("FlagExportTextLangUsage"))
	stringFlag(cmd.Flags(), &module, "module", "", e.loc.T("ArgID"), "", e.loc.T("FlagExportModuleUsage"))
	stringFlag(cmd.Flags(), &out, "output", "o", e.loc.T("ArgFile"), "", e.loc.T("FlagExportOutputUsage"))
	cmd.Flags().BoolVar(&force, "force", false, e.loc.T("FlagImportForceUsage"))
	return cmd
}

// exportSource finds what to export: a module folder inside a pack folder, or
// a pack (folder, .hocpack, installed id) with all its modules or the one
// --module names.
func (e *env) exportSource(ctx context.Context, arg, module string) (*lessons.Pack, []*lessons.Module, error) {
	packArg := arg
	if fi, err := os.Stat(filepath.Join(arg, "module.toml")); err == nil && !fi.IsDir() && module == "" {
		abs, err := filepath.Abs(arg)
		if err != nil {
			return nil, nil, err
		}
		packArg = filepath.Dir(filepath.Dir(abs))
		module = "modules/" + filepath.Base(abs)
	}
	var p *lessons.Pack
	var err error
	if _, statErr := os.Stat(packArg); statErr == nil {
		p, err = e.resolvePack(ctx, nil, packArg) // a path: no database needed, none created
	} else {
		err = e.withStore(ctx, func(s *store.Store) error {
			var err error
			p, err = e.resolvePack(ctx, s, packArg)
			return err
		})
	}
	if err != nil {
		return nil, nil, err
	}
	if module == "" {
		return p, p.Modules, nil
	}
	for _, m := range p.Modules {
		if m.ID == module || m.Dir == module || path.Base(m.Dir) == module {
			return p, []*lessons.Module{m}, nil
		}
	}
	return nil, nil, fail(e.loc.T("ExportNoModule", map[string]any{"Module": oneLine(module), "Pack": p.ID}))
}
