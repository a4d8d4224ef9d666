package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"hocso/lessons"
	"hocso/store"
)

func (e *env) packInstallCommand() *cobra.Command {
	var allowUnsigned, force bool
	cmd := &cobra.Command{
		Use:   "install " + e.loc.T("ArgPackFile"),
		Short: e.loc.T("CmdPackInstallShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			file := args[0]
			if err := e.checkExists(file); err != nil {
				return err
			}
			// The signature is checked before anything in the pack is parsed:
			// a pack nobody trusted reaches the parser only with --allow-unsigned.
			files, data, problems := lessons.OpenPath(file)
			if files == nil && data == nil {
				e.printProblems(problems)
				return fail(e.loc.N("PackInstallInvalid", len(problems.Errors()), map[string]any{"File": file}))
			}
			return e.withStore(ctx, func(s *store.Store) error {
				sig, err := e.installSigner(ctx, s, file, data, allowUnsigned)
				signer := sig.KeyID
				if err != nil {
					return err
				}
				// The pack is loaded module by module, each written to its
				// snapshot and let go, so memory does not grow with the pack.
				var p *lessons.Pack
				var snapshot string
				if files != nil {
					snap, err := s.CreatePackSnapshot(files)
					if err != nil {
						return err
					}
					defer snap.Remove()
					var more lessons.Problems
					p, more = lessons.LoadFilesEach(files, snap.Module)
					problems = requireHocso(p, append(problems, more...))
					if p != nil && problems.Err() == nil {
						if snapshot, err = snap.Finish(p); err != nil {
							return fail(e.loc.T("PackInstallFailed", map[string]any{"ID": p.ID, "Error": err.Error()}))
						}
					}
				}
				if err := problems.Err(); err != nil || p == nil {
					e.printProblems(problems)
					return fail(e.loc.N("PackInstallInvalid", len(problems.Errors()), map[string]any{"File": file}))
				}
				if builtin, err := lessons.Builtin(); err == nil && builtin.ID == p.ID {
					return fail(e.loc.T("PackInstallBuiltinID", map[string]any{"ID": p.ID}))
				}
				current, err := s.InstalledPack(ctx, p.ID)
				if err != nil {
					return err
				}
				var old *lessons.Pack
				if current != nil {
					if current.Hash == p.Hash && current.SignerPublicKey == sig.PublicKey && !force {
						fmt.Fprintln(e.stdout, e.loc.T("PackAlreadyInstalled", map[string]any{"ID": p.ID, "Version": p.Version}))
						return nil
					}
					switch c := lessons.CompareVersions(p.Version, current.Version); {
					case c < 0 && !force:
						return fail(e.loc.T("PackDowngrade", map[string]any{"ID": p.ID, "Version": p.Version, "Installed": current.Version}))
					case c == 0 && current.Hash != p.Hash && !force:
						return fail(e.loc.T("PackSameVersion", map[string]any{"ID": p.ID, "Version": p.Version}))
					}
					old, _ = lessons.LoadInstalled(current.Dir)
				}
				ins, prev, err := s.InstallPack(ctx, store.PackSource{Files: files, Pack: p, Snapshot: snapshot,
					SignerKeyID: signer, SignerPublicKey: sig.PublicKey, Trusted: signer != ""})
				if err != nil {
					return fail(e.loc.T("PackInstallFailed", map[string]any{"ID": p.ID, "Error": err.Error()}))
				}
				if prev == nil {
					fmt.Fprintln(e.stdout, e.loc.T("PackInstalled", map[string]any{"ID": ins.ID, "Version": ins.Version}))
				} else {
					fmt.Fprintln(e.stdout, e.loc.T("PackUpgraded", map[string]any{"ID": ins.ID, "Old": prev.Version, "Version": ins.Version}))
					// p kept none of its modules' content: the diff reads
					// the new version back from its snapshot.
					if installed, _ := lessons.LoadInstalled(ins.Dir); old != nil && installed != nil {
						if err := e.printDiff(ctx, s, lessons.DiffPacks(old, installed)); err != nil {
							return err
						}
					}
				}
				if signer == "" {
					fmt.Fprintln(e.stdout, e.loc.T("PackInstalledUnsigned"))
				} else {
					fmt.Fprintln(e.stdout, e.loc.T("PackInstalledSigned", map[string]any{"KeyID": signer}))
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&allowUnsigned, "allow-unsigned", false, e.loc.T("FlagAllowUnsignedUsage"))
	cmd.Flags().BoolVar(&force, "force", false, e.loc.T("FlagInstallForceUsage"))
	return cmd
}

// installSigner decides whether a pack may be installed as far as signatures
// go, and returns the trusted key that verified it (empty for none). A
// signature that does not verify with its trusted key is refused even with
// --allow-unsigned: the file was changed after it was signed.
func (e *env) installSigner(ctx context.Context, s *store.Store, file string, data []byte, allowUnsigned bool) (lessons.SignatureInfo, error) {
	none := lessons.SignatureInfo{}
	if data == nil { // a folder: nothing signed it
		if !allowUnsigned {
			return none, fail(e.loc.T("InstallUnsigned", map[string]any{"File": file, "Arg": shellArg(file)}))
		}
		return none, nil
	}
	keys, _, err := trustedKeys(ctx, s)
	if err != nil {
		return none, err
	}
	info, err := verifySignature(file, data, keys)
	switch {
	case err == nil:
		return info, nil
	case errors.Is(err, fs.ErrNotExist) && allowUnsigned, errors.Is(err, lessons.ErrUnknownKey) && allowUnsigned:
		return none, nil
	case errors.Is(err, fs.ErrNotExist):
		return none, fail(e.loc.T("InstallUnsigned", map[string]any{"File": file, "Arg": shellArg(file)}))
	case errors.Is(err, lessons.ErrUnknownKey):
		return none, fail(e.loc.T("InstallUntrusted", map[string]any{"File": file, "KeyID": info.KeyID}))
	}
	return none, e.signatureFailure(file, info, err)
}

func (e *env) packRemoveCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "remove " + e.loc.T("ArgPackID"),
		Short: e.loc.T("CmdPackRemoveShort"),
		Args:  e.exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := args[0]
			if builtin, err := lessons.Builtin(); err == nil && builtin.ID == id {
				return fail(e.loc.T("PackRemoveBuiltin", map[string]any{"ID": id}))
			}
			return e.withStore(cmd.Context(), func(s *store.Store) error {
				ip, err := s.RemovePack(cmd.Context(), id)
				if errors.Is(err, store.ErrPackNotInstalled) {
					return fail(e.loc.T("PackNotInstalled", map[string]any{"ID": oneLine(id)}))
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, e.loc.T("PackRemoved", map[string]any{"ID": ip.ID, "Version": ip.Version}))
				return nil
			})
		},
	}
}
