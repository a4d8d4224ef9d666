package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"time"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/quiz"
	"hocso/store"
)

func (e *env) packCommand() *cobra.Command {
	cmd := e.groupCommand("pack", e.loc.T("CmdPackShort"))
	cmd.AddCommand(
		e.packNewCommand(), e.packValidateCommand(), e.packBuildCommand(),
		e.packKeygenCommand(), e.packSignCommand(), e.packVerifyCommand(), e.packTrustCommand(),
		e.packInstallCommand(), e.packListCommand(), e.packDiffCommand(), e.packRemoveCommand(),
		e.packImportCommand("import-gift", e.loc.T("ArgGiftFile"), e.loc.T("CmdPackImportGiftShort")),
		e.packImportCommand("import-aiken", e.loc.T("ArgAikenFile"), e.loc.T("CmdPackImportAikenShort")),
		e.packExportGiftCommand(),
	)
	return cmd
}

// packInfo is what `pack list --json` says of a pack.
type packInfo struct {
	ID          string                    `json:"id"`
	Version     string                    `json:"version"`
	Title       quiz.Text                 `json:"title"`
	Builtin     bool                      `json:"builtin"`
	Hash        string                    `json:"hash"`
	Counts      map[string]lessons.Counts `json:"counts"`
	Language    []string                  `json:"languages"`
	Signed      bool                      `json:"signed"`
	Signer      string                    `json:"signer,omitempty"` // trusted key id
	SignerNote  string                    `json:"signer_comment,omitempty"`
	Dir         string                    `json:"dir,omitempty"`
	InstalledAt *time.Time                `json:"installed_at,omitempty"`
}

func (e *env) packListCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: e.loc.T("CmdPackListShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return e.withReadStore(ctx, func(s *store.Store) error {
				packs, err := e.packs(ctx, s)
				if err != nil {
					return err
				}
				installed, err := s.InstalledPacks(ctx)
				if err != nil {
					return err
				}
				keys, err := s.TrustedKeys(ctx)
				if err != nil {
					return err
				}
				infos := make([]packInfo, 0, len(packs))
				for _, lp := range packs {
					p := lp.Pack
					in := packInfo{ID: p.ID, Version: p.Version, Title: p.Title, Builtin: lp.Builtin, Hash: p.Hash,
						Counts: p.CountsByLanguage(), Language: p.Languages, Signed: lp.Signer != "", Signer: lp.Signer}
					for _, k := range keys {
						if k.KeyID == lp.Signer {
							in.SignerNote = k.Comment
						}
					}
					for _, ip := range installed {
						if ip.ID == p.ID {
							in.Dir, in.InstalledAt = ip.Dir, &ip.InstalledAt
						}
					}
					infos = append(infos, in)
				}
				if asJSON {
					return writeJSON(e, infos)
				}
				var rows [][]string
				for _, in := range infos {
					c := in.Counts[e.loc.Lang()]
					var origin string
					switch {
					case in.Builtin:
						origin = e.loc.T("PackOriginBuiltin")
					case in.Signed:
						origin = e.loc.T("PackOriginSigned", map[string]any{"KeyID": in.Signer, "Comment": parens(in.SignerNote)})
					default:
						origin = e.loc.T("PackOriginUnsigned")
					}
					counts := e.loc.T("PackListCounts", map[string]any{"Modules": c.Modules, "Lessons": c.Lessons, "Questions": c.Questions})
					rows = append(rows, []string{in.Title.In(e.loc.Lang()), in.ID, in.Version, counts, origin})
				}
				return e.table([]string{e.loc.T("ColTitle"), e.loc.T("ColPack"), e.loc.T("ColVersion"), e.loc.T("ColContent"), e.loc.T("ColOrigin")}, rows)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	return cmd
}

func (e *env) packNewCommand() *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:   "new " + e.loc.T("ArgDir"),
		Short: e.loc.T("CmdPackNewShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if id != "" && !lessons.ValidID(id) {
				return fail(e.loc.T("PackNewBadID", map[string]any{"ID": id}))
			}
			written, err := lessons.NewPack(dir, id)
			if errors.Is(err, lessons.ErrNotEmpty) {
				return fail(e.loc.T("PackNewNotEmpty", map[string]any{"Dir": dir}))
			}
			if err != nil {
				return fail(e.loc.T("PackNewFailed", map[string]any{"Dir": dir, "Error": err.Error()}))
			}
			for _, f := range written {
				fmt.Fprintln(e.stdout, "  "+f)
			}
			fmt.Fprintln(e.stdout, e.loc.T("PackNewCreated", map[string]any{"Dir": dir, "Arg": shellArg(dir)}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &id, "id", "", e.loc.T("ArgPackID"), "", e.loc.T("FlagPackNewIDUsage"))
	return cmd
}

// problemJSON is one problem as `pack validate --json` prints it.
type problemJSON struct {
	lessons.Problem
	Message string `json:"message"`
}

// validateReport is what `pack validate --json` prints.
type validateReport struct {
	Path     string                    `json:"path"`
	Valid    bool                      `json:"valid"`
	ID       string                    `json:"id,omitempty"`
	Version  string                    `json:"version,omitempty"`
	Hash     string                    `json:"hash,omitempty"`
	Errors   int                       `json:"errors"`
	Warnings int                       `json:"warnings"`
	Problems []problemJSON             `json:"problems"`
	Counts   map[string]lessons.Counts `json:"counts"`
}

func (e *env) packValidateCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate " + e.loc.T("ArgPath"),
		Short: e.loc.T("CmdPackValidateShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := args[0]
			if err := e.checkExists(path); err != nil {
				return err
			}
			p, problems := lessons.CheckPath(path)
			problems = requireHocso(p, problems)
			rep := validateReport{Path: path, Problems: []problemJSON{}, Counts: map[string]lessons.Counts{}}
			for _, pr := range problems {
				rep.Problems = append(rep.Problems, problemJSON{Problem: pr, Message: e.problemMessage(pr)})
				if pr.Warning {
					rep.Warnings++
				} else {
					rep.Errors++
				}
			}
			rep.Valid = p != nil && rep.Errors == 0
			if p != nil {
				rep.ID, rep.Version, rep.Hash, rep.Counts = p.ID, p.Version, p.Hash, p.CountsByLanguage()
			}
			if asJSON {
				if err := writeJSON(e, rep); err != nil {
					return err
				}
				if !rep.Valid {
					return fail(e.loc.N("PackInvalid", rep.Errors, map[string]any{"Path": path, "Warnings": rep.Warnings}))
				}
				return nil
			}
			e.printProblems(problems)
			if !rep.Valid {
				return fail(e.loc.N("PackInvalid", rep.Errors, map[string]any{"Path": path, "Warnings": rep.Warnings}))
			}
			fmt.Fprintln(e.stdout, e.loc.T("PackValid", map[string]any{"Path": path, "ID": p.ID, "Version": p.Version, "Warnings": rep.Warnings}))
			e.printCounts(p)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagValidateJSONUsage"))
	return cmd
}

// requireHocso adds to problems that p needs a newer hocso than this one.
func requireHocso(p *lessons.Pack, problems lessons.Problems) lessons.Problems {
	if p == nil {
		return problems
	}
	if pr := p.RequireHocso(version); pr != nil {
		problems = append(lessons.Problems{*pr}, problems...)
	}
	return problems
}

// checkExists turns a missing path into a message that says what to give.
func (e *env) checkExists(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fail(e.loc.T("PackNotFound", map[string]any{"Path": path}))
	}
	return nil
}

// problemMessage is a problem's message in the user's language. Problem data
// can quote a pack's bytes (a TOML error, an id), so the text is cleaned.
func (e *env) problemMessage(p lessons.Problem) string {
	data := maps.Clone(p.Data)
	for k, v := range data {
		if w, ok := v.(lessons.Word); ok {
			data[k] = e.loc.T(string(w))
		}
	}
	msg := e.loc.T(p.ID, data)
	if n, ok := data["Count"].(int); ok {
		if s, err := e.loc.Localize(p.ID, &n, data); err == nil {
			msg = s // a message with plural forms
		}
	}
	msg, _ = lessons.Clean(msg)
	return msg
}

// printProblems writes one line per problem, "file:line: field: error: message",
// errors and warnings alike, to stderr.
func (e *env) printProblems(problems lessons.Problems) {
	for _, p := range problems {
		label := e.loc.T("ProblemLabelError")
		if p.Warning {
			label = e.loc.T("ProblemLabelWarning")
		}
		where, _ := lessons.Clean(p.Where())
		fmt.Fprintf(e.stderr, "%s: %s: %s\n", where, label, e.problemMessage(p))
	}
}

func (e *env) printCounts(p *lessons.Pack) {
	counts := p.CountsByLanguage()
	for _, lang := range p.Languages {
		c := counts[lang]
		fmt.Fprintln(e.stdout, "  "+e.loc.T("PackCounts", map[string]any{
			"Lang": lang, "Modules": c.Modules, "Lessons": c.Lessons, "Questions": c.Questions}))
	}
}

// oneLine keeps a value from a file or a person on one clean line of output.
func oneLine(s string) string { return lessons.CleanLine(s) }
