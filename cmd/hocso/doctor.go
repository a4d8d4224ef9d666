package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"hocso/store"
)

// lowSpace is the free space below which doctor warns: a day of learning
// needs far less, but SQLite needs room for its WAL and a checkpoint.
const lowSpace = 50 << 20

func (e *env) doctorCommand() *cobra.Command {
	var asJSON, repair bool
	var out string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: e.loc.T("CmdDoctorShort"),
		Long:  e.loc.T("CmdDoctorLong"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.runDoctor(cmd.Context(), asJSON, repair, out)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	cmd.Flags().BoolVar(&repair, "repair", false, e.loc.T("FlagRepairUsage"))
	stringFlag(cmd.Flags(), &out, "out", "", e.loc.T("ArgFile"), "", e.loc.T("FlagRepairOutUsage"))
	return cmd
}

// doctorReport is `hocso doctor --json`.
type doctorReport struct {
	store.Health
	Repair *store.Salvage `json:"repair,omitempty"`
}

func (e *env) runDoctor(ctx context.Context, asJSON, repair bool, out string) error {
	if err := e.needDB(); err != nil {
		return err
	}
	h := store.Examine(ctx, e.dbPath)
	rep := doctorReport{Health: h}
	var repairErr error
	if repair {
		if out == "" {
			out = filepath.Join(filepath.Dir(e.dbPath), "hocso-repaired-"+time.Now().Format("20060102-150405")+".db")
		}
		switch h.Verdict {
		case store.VerdictMissing, store.VerdictNotSQLite, store.VerdictForeign:
			repairErr = fail(e.loc.T("DoctorCannotRepair", map[string]any{"Path": e.dbPath}))
		default:
			sv, err := store.CopyOut(ctx, e.dbPath, out)
			if err != nil {
				repairErr = fail(e.loc.T("DoctorRepairFailed", map[string]any{"Path": out, "Error": err.Error()}))
			} else {
				rep.Repair = &sv
			}
		}
	}
	if asJSON {
		if err := writeJSON(e, rep); err != nil {
			return err
		}
	} else {
		e.printHealth(h)
		if rep.Repair != nil {
			fmt.Fprintln(e.stdout, e.loc.T("DoctorRepaired", map[string]any{
				"Copy": rep.Repair.Copy, "Source": rep.Repair.Source, "Events": rep.Repair.Events,
				"Lost": rep.Repair.Lost, "Learners": rep.Repair.Learners}))
		}
	}
	if repairErr != nil {
		return repairErr
	}
	if h.Verdict != store.VerdictOK && h.Verdict != store.VerdictMissing && rep.Repair == nil {
		return &exitError{code: 1}
	}
	return nil
}

func (e *env) printHealth(h store.Health) {
	p := func(id string, data map[string]any) { fmt.Fprintln(e.stdout, e.loc.T(id, data)) }
	p("DoctorFile", map[string]any{"Path": h.Path, "Size": e.megabytes(h.SizeBytes)})
	if h.Verdict == store.VerdictMissing {
		p("DoctorMissing", nil)
	} else if h.Verdict != store.VerdictNotSQLite {
		p("DoctorSchema", map[string]any{"Found": h.Schema, "Supported": h.Supported,
			"ID": fmt.Sprintf("%#08x", h.ApplicationID), "Ours": h.ApplicationID == store.ApplicationID})
		if len(h.Integrity) > 0 {
			p("DoctorIntegrity", map[string]any{"Result": h.Integrity[0], "OK": h.Integrity[0] == "ok"})
		}
		p("DoctorWAL", map[string]any{"Mode": h.JournalMode, "Size": e.megabytes(h.WALBytes)})
		if h.Verdict != store.VerdictForeign {
			p("DoctorCounts", map[string]any{"Learners": h.Learners, "Events": h.Events, "Pending": h.Pending})
			if h.Conflicts > 0 {
				p("DoctorConflicts", map[string]any{"Count": h.Conflicts})
			}
		}
	}
	p("DoctorFree", map[string]any{"Free": e.megabytes(int64(h.FreeBytes)), "Low": h.FreeBytes < lowSpace})
	data := map[string]any{"Path": h.Path, "Detail": h.Problem}
	switch h.Verdict {
	case store.VerdictOK:
		p("DoctorVerdictOK", data)
	case store.VerdictDamaged:
		p("DoctorVerdictDamaged", data)
	case store.VerdictForeign:
		p("DoctorVerdictForeign", data)
	case store.VerdictNotSQLite:
		p("DoctorVerdictNotSQLite", data)
	case store.VerdictNewer:
		p("DoctorVerdictNewer", data)
	}
}

func (e *env) megabytes(n int64) string {
	return e.loc.Number(float64(n)/(1<<20), 1) + " MB"
}
