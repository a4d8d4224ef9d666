package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"aead.dev/minisign"
	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/store"
)

// keyPasswordEnv names the variable holding the password of an encrypted
// secret key (one made by `minisign -G` without -W).
const keyPasswordEnv = "HOCSO_KEY_PASSWORD"

func (e *env) packKeygenCommand() *cobra.Command {
	var prefix string
	cmd := &cobra.Command{
		Use:   "keygen",
		Short: e.loc.T("CmdPackKeygenShort", map[string]any{"Prefix": e.loc.T("ArgPrefix")}),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			secPath, pubPath := prefix+".key", prefix+".pub"
			for _, p := range []string{secPath, pubPath} {
				if _, err := os.Lstat(p); err == nil {
					return fail(e.loc.T("KeyExists", map[string]any{"Path": p}))
				}
			}
			sec, pub, id, err := lessons.GenerateKey(nil)
			if err != nil {
				return err
			}
			if err := writeNew(secPath, sec, 0o600); err != nil {
				return fail(e.loc.T("KeyWriteFailed", map[string]any{"Path": secPath, "Error": err.Error()}))
			}
			if err := writeNew(pubPath, pub, 0o644); err != nil {
				os.Remove(secPath)
				return fail(e.loc.T("KeyWriteFailed", map[string]any{"Path": pubPath, "Error": err.Error()}))
			}
			fmt.Fprintln(e.stdout, e.loc.T("KeyGenerated", map[string]any{"Secret": secPath, "Public": pubPath, "KeyID": id}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &prefix, "output", "o", e.loc.T("ArgPrefix"), "hocso", e.loc.T("FlagKeygenOutputUsage"))
	return cmd
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// writeReplace writes a file whole or not at all.
func writeReplace(path string, data []byte, perm os.FileMode) error {
	return writeReplaceFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeReplaceFunc writes what write writes to a temporary file beside path,
// syncs it and renames it over path, so path holds all of it or its old content.
func writeReplaceFunc(path string, perm os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hocso-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (e *env) packSignCommand() *cobra.Command {
	var keyPath string
	cmd := &cobra.Command{
		Use:   "sign " + e.loc.T("ArgPackFile") + " --key " + e.loc.T("ArgKey"),
		Short: e.loc.T("CmdPackSignShort", map[string]any{"File": e.loc.T("ArgPackFile")}),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			if err := e.checkExists(file); err != nil {
				return err
			}
			text, err := os.ReadFile(keyPath)
			if err != nil {
				return fail(e.loc.T("KeyReadFailed", map[string]any{"Path": keyPath, "Error": err.Error()}))
			}
			key, err := lessons.ParseSecretKey(text, e.getenv(keyPasswordEnv))
			switch {
			case errors.Is(err, lessons.ErrKeyEncrypted):
				return fail(e.loc.T("KeyNeedsPassword", map[string]any{"Path": keyPath, "Env": keyPasswordEnv}))
			case err != nil:
				return fail(e.loc.T("KeyInvalid", map[string]any{"Path": keyPath, "Error": err.Error()}))
			}
			files, data, problems := lessons.OpenArchive(file, lessons.DefaultLimits())
			if files != nil {
				_, more := lessons.LoadFiles(files)
				problems = append(problems, more...)
			}
			if err := problems.Err(); err != nil || files == nil {
				e.printProblems(problems.Errors())
				return fail(e.loc.T("PackSignInvalid", map[string]any{"File": file}))
			}
			sig := lessons.Sign(data, key, filepath.Base(file), time.Now())
			sigPath := file + lessons.SignatureExt
			if err := writeReplace(sigPath, sig, 0o644); err != nil {
				return fail(e.loc.T("PackSignFailed", map[string]any{"File": sigPath, "Error": err.Error()}))
			}
			fmt.Fprintln(e.stdout, e.loc.T("PackSigned", map[string]any{"File": file, "Sig": sigPath, "KeyID": lessons.KeyID(key.ID())}))
			return nil
		},
	}
	stringFlag(cmd.Flags(), &keyPath, "key", "", e.loc.T("ArgKey"), "", e.loc.T("FlagSignKeyUsage", map[string]any{"Env": keyPasswordEnv}))
	cmd.MarkFlagRequired("key")
	return cmd
}

func (e *env) packVerifyCommand() *cobra.Command {
	var pubPath string
	cmd := &cobra.Command{
		Use:   "verify " + e.loc.T("ArgPackFile"),
		Short: e.loc.T("CmdPackVerifyShort", map[string]any{"File": e.loc.T("ArgPackFile")}),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			file := args[0]
			if err := e.checkExists(file); err != nil {
				return err
			}
			var keys []minisign.PublicKey
			var notes map[string]string
			if pubPath != "" {
				k, err := e.readPublicKey(pubPath)
				if err != nil {
					return err
				}
				keys = []minisign.PublicKey{k}
			} else {
				err := e.withStore(ctx, func(s *store.Store) error {
					var err error
					keys, notes, err = trustedKeys(ctx, s)
					return err
				})
				if err != nil {
					return err
				}
			}
			files, data, problems := lessons.OpenArchive(file, lessons.DefaultLimits())
			if data == nil {
				e.printProblems(problems)
				return fail(e.loc.T("PackVerifyDamaged", map[string]any{"File": file}))
			}
			info, err := verifySignature(file, data, keys)
			if err != nil {
				return e.signatureFailure(file, info, err)
			}
			if err := problems.Err(); err != nil || files == nil {
				e.printProblems(problems.Errors())
				return fail(e.loc.T("PackVerifyDamaged", map[string]any{"File": file}))
			}
			fmt.Fprintln(e.stdout, e.loc.T("SigGood", map[string]any{"File": file}))
			e.printSigner(info, notes[info.KeyID])
			return nil
		},
	}
	stringFlag(cmd.Flags(), &pubPath, "pub", "", e.loc.T("ArgKey"), "", e.loc.T("FlagVerifyPubUsage"))
	return cmd
}

// verifySignature checks the detached signature of file (whose bytes are
// data) with keys. Its errors are fs.ErrNotExist (no signature file) and
// lessons' signature errors; signatureFailure words them for people.
func verifySignature(file string, data []byte, keys []minisign.PublicKey) (lessons.SignatureInfo, error) {
	sig, err := os.ReadFile(file + lessons.SignatureExt)
	if err != nil {
		return lessons.SignatureInfo{}, err
	}
	return lessons.Verify(data, sig, keys)
}

// signatureFailure turns an error of verifySignature into a message that
// says what happened and what to do.
func (e *env) signatureFailure(file string, info lessons.SignatureInfo, err error) error {
	sigPath := file + lessons.SignatureExt
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fail(e.loc.T("SigMissing", map[string]any{"File": file, "Sig": sigPath}))
	case errors.Is(err, lessons.ErrUnknownKey):
		return fail(e.loc.T("SigUntrusted", map[string]any{"File": file, "KeyID": info.KeyID}))
	case errors.Is(err, lessons.ErrBadSignature):
		return fail(e.loc.T("SigBad", map[string]any{"File": file, "Sig": sigPath}))
	}
	return fail(e.loc.T("SigInvalidFile", map[string]any{"Sig": sigPath, "Error": err.Error()}))
}

// trustedKeys returns the trusted public keys and each one's comment by key id.
func trustedKeys(ctx context.Context, s *store.Store) ([]minisign.PublicKey, map[string]string, error) {
	stored, err := s.TrustedKeys(ctx)
	if err != nil {
		return nil, nil, err
	}
	var keys []minisign.PublicKey
	notes := map[string]string{}
	for _, k := range stored {
		pk, err := lessons.ParsePublicKey([]byte(k.PublicKey))
		if err != nil {
			continue // only TrustKey writes the table, from a parsed key
		}
		keys = append(keys, pk)
		notes[k.KeyID] = k.Comment
	}
	return keys, notes, nil
}

// readPublicKey reads a public key from a .pub file, or takes arg as the key
// itself (its base64 line) when no such file exists.
func (e *env) readPublicKey(arg string) (minisign.PublicKey, error) {
	text, err := os.ReadFile(arg)
	if errors.Is(err, fs.ErrNotExist) {
		text, err = []byte(arg), nil
	}
	if err != nil {
		return minisign.PublicKey{}, fail(e.loc.T("KeyReadFailed", map[string]any{"Path": arg, "Error": err.Error()}))
	}
	k, err := lessons.ParsePublicKey(text)
	if err != nil {
		return minisign.PublicKey{}, fail(e.loc.T("KeyInvalid", map[string]any{"Path": arg, "Error": err.Error()}))
	}
	return k, nil
}

func (e *env) packTrustCommand() *cobra.Command {
	cmd := e.groupCommand("trust", e.loc.T("CmdPackTrustShort"))
	var comment string
	add := &cobra.Command{
		Use:   "add " + e.loc.T("ArgPubKey"),
		Short: e.loc.T("CmdPackTrustAddShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := e.readPublicKey(args[0])
			if err != nil {
				return err
			}
			id := lessons.KeyID(k.ID())
			note := oneLine(comment)
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				added, err := s.TrustKey(cmd.Context(), store.TrustedKey{KeyID: id, PublicKey: k.String(), Comment: note})
				var conflict *store.KeyIDConflictError
				switch {
				case errors.As(err, &conflict):
					old := conflict.Trusted
					return fail(e.loc.T("TrustKeyIDConflict", map[string]any{"File": oneLine(args[0]), "KeyID": id,
						"Comment": parens(oneLine(old.Comment)), "Added": e.loc.Date(old.AddedAt.Local()),
						"Old": oneLine(old.PublicKey), "New": k.String()}))
				case err != nil:
					return err
				case !added:
					fmt.Fprintln(e.stdout, e.loc.T("TrustAlreadyTrusted", map[string]any{"KeyID": id}))
					return nil
				}
				fmt.Fprintln(e.stdout, e.loc.T("TrustAdded", map[string]any{"KeyID": id, "Comment": parens(note)}))
				return nil
			})
		},
	}
	stringFlag(add.Flags(), &comment, "comment", "", e.loc.T("ArgText"), "", e.loc.T("FlagTrustCommentUsage"))
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: e.loc.T("CmdPackTrustListShort"),
		Args:  e.noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				keys, err := s.TrustedKeys(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					if keys == nil {
						keys = []store.TrustedKey{}
					}
					return writeJSON(e, keys)
				}
				if len(keys) == 0 {
					fmt.Fprintln(e.stdout, e.loc.T("TrustNone"))
					return nil
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				for _, k := range keys {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", oneLine(k.KeyID), e.loc.Date(k.AddedAt.Local()), oneLine(k.Comment))
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, e.loc.T("FlagJSONUsage"))
	remove := &cobra.Command{
		Use:   "remove " + e.loc.T("ArgKeyID"),
		Short: e.loc.T("CmdPackTrustRemoveShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := lessons.ParseKeyID(args[0])
			if err != nil {
				return fail(e.loc.T("TrustNotFound", map[string]any{"KeyID": oneLine(args[0])}))
			}
			id := lessons.KeyID(n)
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				err := s.UntrustKey(cmd.Context(), id)
				if errors.Is(err, store.ErrKeyNotTrusted) {
					return fail(e.loc.T("TrustNotFound", map[string]any{"KeyID": id}))
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.T("TrustRemoved", map[string]any{"KeyID": id}))
				return nil
			})
		},
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}

// parens puts a key's comment in brackets after its id, or nothing when it has none.
func parens(comment string) string {
	if comment == "" {
		return ""
	}
	return "(" + comment + ")"
}

// printSigner says who signed, when and what, in the reader's language: the
// key (with the name this device knows it by) and the signed comment's facts.
func (e *env) printSigner(info lessons.SignatureInfo, keyNote string) {
	facts := lessons.ParseTrustedComment(info.TrustedComment)
	line := func(id string, v any) { fmt.Fprintln(e.stdout, "  "+e.loc.T(id, map[string]any{"Value": v})) }
	line("SigKey", strings.TrimSpace(info.KeyID+" "+parens(keyNote)))
	if !facts.Time.IsZero() {
		line("SigTime", e.loc.DateTime(facts.Time))
	}
	if facts.File != "" {
		line("SigFileName", oneLine(facts.File))
	}
	if facts.Note != "" {
		line("SigNote", oneLine(facts.Note))
	}
}
