// Package builtin embeds hocso's default lesson pack, written in the same
// format trainers use (see docs/pack-format.md).
package builtin

import "embed"

// FS holds the pack's files at its root: pack.toml, sources.toml, glossary.toml, modules/.
//
//go:embed *.toml modules
var FS embed.FS

// Snapshot is the pack as hocso loaded it from FS, saved by
// `go test ./lessons -run TestBuiltinSnapshot -update`; hocso uses it only
// while it matches FS, so a stale one costs time, never correctness.
//
//go:embed pack.snapshot
var Snapshot []byte
