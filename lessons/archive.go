package lessons

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// A .hocpack is a zip of the pack folder with a manifest, hocpack.toml, at its
// root that lists every file with its size and SHA-256. A signature, when there
// is one, is the minisign file beside it (pack.hocpack.minisig) and covers the
// whole archive, so it covers the manifest and through it every file.
const (
	// ArchiveFormat is the newest archive manifest format this build reads.
	ArchiveFormat = 1
	// ManifestName is the manifest's path inside an archive.
	ManifestName = "hocpack.toml"
	// ArchiveExt is the extension of a built pack.
	ArchiveExt = ".hocpack"
)

// archiveTime is every entry's time, so that the same files always build the
// same bytes (and a rebuilt, unchanged pack keeps its signature).
var archiveTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Manifest is an archive's hocpack.toml.
type Manifest struct {
	Format    int            `toml:"format"`
	CreatedBy string         `toml:"created_by,omitempty"`
	Files     []ManifestFile `toml:"file"`
}

// ManifestFile is one file of the pack as the manifest lists it.
type ManifestFile struct {
	Path   string `toml:"path"`
	Size   int64  `toml:"size"`
	SHA256 string `toml:"sha256"`
}

// WriteArchive writes files as a .hocpack: the manifest, then every file in
// path order. createdBy names the program, e.g. "hocso 0.1.0".
func WriteArchive(w io.Writer, files *Files, createdBy string) error {
	m := Manifest{Format: ArchiveFormat, CreatedBy: createdBy}
	for _, name := range files.names {
		b, err := files.bytes(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, ManifestFile{Path: name, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
	}
	var buf bytes.Buffer
	buf.WriteString("# hocso pack manifest: the SHA-256 of every file in this archive. Written by hocso pack build.\n")
	if err := toml.NewEncoder(&buf).Encode(m); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	zw := zip.NewWriter(w)
	put := func(name string, b []byte) error {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: archiveTime}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err == nil {
			_, err = fw.Write(b)
		}
		return err
	}
	if err := put(ManifestName, buf.Bytes()); err != nil {
		return err
	}
	for _, name := range files.names {
		b, err := files.bytes(name)
		if err == nil {
			err = put(name, b)
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// BuildArchive writes files as a .hocpack at path, replacing it whole or not
// at all. The archive is readable by everyone (0644): it is made to be handed
// out, and a temporary file's private mode would follow it through the rename.
func BuildArchive(path string, files *Files, createdBy string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hocpack-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	err = WriteArchive(tmp, files, createdBy)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// OpenArchive reads the .hocpack at path and checks it (see ReadArchive). It
// also returns the archive's bytes, which a signature covers: what was
// verified is what is unpacked, even if the file changes meanwhile.
func OpenArchive(path string, lim Limits) (*Files, []byte, Problems) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, Problems{{File: name, ID: "ProblemRead", Data: map[string]any{"Error": err.Error()}}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, lim.MaxArchiveBytes+1))
	if err != nil {
		return nil, nil, Problems{{File: name, ID: "ProblemRead", Data: map[string]any{"Error": err.Error()}}}
	}
	files, problems := ReadArchive(name, data, lim)
	return files, data, problems
}

// LoadArchive opens the .hocpack at path and loads the pack in it.
func LoadArchive(path string) (*Pack, *Files, []byte, Problems) {
	files, data, problems := OpenArchive(path, DefaultLimits())
	if files == nil {
		return nil, nil, data, problems
	}
	p, more := LoadFiles(files)
	return p, files, data, append(problems, more...).sorted()
}

// LoadPath loads a pack from a folder or a .hocpack file. data holds the
// archive's bytes, nil for a folder.
func LoadPath(path string) (p *Pack, files *Files, data []byte, problems Problems) {
	return loadPath(path, nil)
}

// CheckPath checks the pack at path like LoadPath, module by module (see
// LoadFilesEach), for a caller that needs its problems, id, version, hash
// and counts but not its content: memory is that of the files, however many
// questions they hold.
func CheckPath(path string) (*Pack, Problems) {
	p, _, _, problems := loadPath(path, func(*Module) {})
	return p, problems
}

func loadPath(path string, each func(*Module)) (p *Pack, files *Files, data []byte, problems Problems) {
	files, data, problems = OpenPath(path)
	if files == nil {
		return nil, nil, data, problems
	}
	p, more := LoadFilesEach(files, each)
	return p, files, data, append(problems, more...).sorted()
}

// OpenPath reads the files of a pack folder or a .hocpack within the limits,
// without parsing any of them, so that a signature can be checked before
// anything in the pack is parsed. data holds the archive's bytes, nil for a
// folder.
func OpenPath(path string) (files *Files, data []byte, problems Problems) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		files, problems = ReadFolder(path, DefaultLimits())
		return files, nil, problems
	}
	return OpenArchive(path, DefaultLimits())
}

// ReadArchive checks a .hocpack held in data (name is its file name, for
// messages) and returns its files. Nothing is written anywhere. It refuses
// entries whose path would leave the pack, links and special files, encrypted
// or oddly compressed entries, an archive over the limits (size, file count,
// compression ratio: a zip bomb), a manifest from a newer format, and any
// file missing from the manifest, absent from the archive or whose SHA-256
// differs from the manifest's. It reports every such problem; a caller must
// not use files whose problems include an error.
func ReadArchive(name string, data []byte, lim Limits) (*Files, Problems) {
	var problems Problems
	add := func(file string, line int, field, id string, d map[string]any) {
		problems = append(problems, Problem{File: file, Line: line, Field: field, ID: id, Data: d})
	}
	if int64(len(data)) > lim.MaxArchiveBytes {
		add(name, 0, "", "ProblemArchiveTooLarge", map[string]any{"Limit": lim.MaxArchiveBytes >> 20})
		return nil, problems
	}
	if n, ok := claimedEntries(data); ok && n > uint64(lim.MaxFiles)*2+16 {
		add(name, 0, "", "ProblemTooManyFiles", map[string]any{"Limit": lim.MaxFiles})
		return nil, problems
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		add(name, 0, "", "ProblemNotArchive", map[string]any{"Error": err.Error()})
		return nil, problems
	}
	manifest, mProblems := readManifest(zr, lim)
	if manifest == nil {
		return nil, mProblems
	}
	problems = append(problems, mProblems...)

	files := newFiles()
	refused := map[string]bool{} // entries already reported, not to be reported again as missing
	var total int64
	count := 0
	manifestSeen := false
	for _, f := range zr.File {
		entry := strings.TrimSuffix(f.Name, "/")
		isDir := strings.HasSuffix(f.Name, "/") || f.Mode().IsDir()
		switch {
		case !safePath(entry):
			add(shownPath(f.Name), 0, "", "ProblemUnsafePath", nil)
			refused[entry] = true
			continue
		case f.Mode()&fs.ModeSymlink != 0:
			add(entry, 0, "", "ProblemSymlink", nil)
			refused[entry] = true
			continue
		case isDir:
			continue
		case !f.Mode().IsRegular():
			add(entry, 0, "", "ProblemNotRegular", nil)
			refused[entry] = true
			continue
		case entry == ManifestName && !manifestSeen:
			manifestSeen = true
			continue
		}
		if count++; count > lim.MaxFiles {
			add(name, 0, "", "ProblemTooManyFiles", map[string]any{"Limit": lim.MaxFiles})
			return nil, problems
		}
		if total += int64(min(f.UncompressedSize64, 1<<62)); total > lim.MaxTotalBytes {
			add(name, 0, "", "ProblemPackTooLarge", map[string]any{"Limit": lim.MaxTotalBytes >> 20})
			return nil, problems
		}
		b, id, d := readEntry(f, lim)
		if id != "" {
			add(entry, 0, "", id, d)
			refused[entry] = true
			continue
		}
		if clash := files.addZipped(entry, b, f); clash != "" {
			add(entry, 0, "", "ProblemDuplicatePath", map[string]any{"Other": clash})
		}
	}
	files.refusedNames = refused
	problems = append(problems, checkManifest(manifest, files, refused)...)
	return files, problems.sorted()
}

// readEntry reads one file of an archive within the limits, or says why not
// (a message id and its data). The sizes in the zip headers are claims, so
// reading stops at the limit whatever they say.
func readEntry(f *zip.File, lim Limits) ([]byte, string, map[string]any) {
	limitMiB := map[string]any{"Limit": lim.MaxFileBytes >> 20}
	switch {
	case f.Flags&0x1 != 0 || (f.Method != zip.Store && f.Method != zip.Deflate):
		return nil, "ProblemZipMethod", map[string]any{"Method": f.Method}
	case f.UncompressedSize64 > uint64(lim.MaxFileBytes):
		return nil, "ProblemFileTooLarge", limitMiB
	case f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > uint64(lim.MaxRatio)*f.CompressedSize64:
		return nil, "ProblemZipBomb", map[string]any{"Ratio": f.UncompressedSize64 / max(f.CompressedSize64, 1), "Limit": lim.MaxRatio}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, "ProblemCorrupt", map[string]any{"Error": err.Error()}
	}
	defer rc.Close()
	b, err := readSized(rc, int64(f.UncompressedSize64), lim.MaxFileBytes) // the size checked above
	switch {
	case int64(len(b)) > lim.MaxFileBytes:
		return nil, "ProblemFileTooLarge", limitMiB
	case err != nil:
		return nil, "ProblemCorrupt", map[string]any{"Error": err.Error()}
	}
	return b, "", nil
}

// readManifest finds, reads and decodes the manifest. A nil manifest means
// the archive cannot be used at all, and the problems say why.
func readManifest(zr *zip.Reader, lim Limits) (*Manifest, Problems) {
	var text string
	found := false
	for _, f := range zr.File {
		if f.Name != ManifestName {
			continue
		}
		b, id, d := readEntry(f, lim)
		if id != "" {
			return nil, Problems{{File: ManifestName, ID: id, Data: d}}
		}
		text, found = string(b), true
		break
	}
	if !found {
		return nil, Problems{{File: ManifestName, ID: "ProblemNoArchiveManifest"}}
	}
	m := &Manifest{}
	if _, err := decodeTOMLLimited(text, m, lim); err != nil {
		return nil, Problems{tomlError(ManifestName, text, err)}
	}
	if m.Format > ArchiveFormat {
		return nil, Problems{{File: ManifestName, Line: lineOfKey(text, "format"), Field: "format", ID: "ProblemArchiveNewerFormat",
			Data: map[string]any{"Found": m.Format, "Supported": ArchiveFormat}}}
	}
	if m.Format < 1 {
		return m, Problems{{File: ManifestName, Line: lineOfKey(text, "format"), Field: "format", ID: "ProblemMissingField"}}
	}
	return m, nil
}

// checkManifest compares the files with what the manifest says of them.
func checkManifest(m *Manifest, files *Files, refused map[string]bool) Problems {
	var problems Problems
	listed := map[string]bool{}
	for i, mf := range m.Files {
		field := fmt.Sprintf("file[%d].path", i+1)
		switch {
		case !safePath(mf.Path):
			problems = append(problems, Problem{File: ManifestName, Field: field, ID: "ProblemUnsafePath"})
			continue
		case listed[mf.Path]:
			problems = append(problems, Problem{File: ManifestName, Field: field, ID: "ProblemManifestDuplicate", Data: map[string]any{"Other": mf.Path}})
			continue
		}
		listed[mf.Path] = true
		sum, ok := files.sums[mf.Path]
		if !ok && refused[mf.Path] {
			continue
		}
		if !ok {
			problems = append(problems, Problem{File: mf.Path, ID: "ProblemMissingFromArchive"})
			continue
		}
		if !strings.EqualFold(mf.SHA256, hex.EncodeToString(sum[:])) || mf.Size != files.sizes[mf.Path] {
			problems = append(problems, Problem{File: mf.Path, ID: "ProblemHashMismatch"})
		}
	}
	for _, name := range files.names {
		if !listed[name] {
			problems = append(problems, Problem{File: name, ID: "ProblemNotInManifest"})
		}
	}
	return problems
}

// claimedEntries reads how many entries an archive's end record says it has,
// so that a directory of millions of entries is refused before zip parses it.
func claimedEntries(data []byte) (uint64, bool) {
	const eocdLen, locatorLen, zip64Len = 22, 20, 56
	if len(data) < eocdLen {
		return 0, false
	}
	start := max(0, len(data)-eocdLen-0xffff)
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || len(data)-start-i < eocdLen {
		return 0, false
	}
	at := start + i
	n := uint64(binary.LittleEndian.Uint16(data[at+10:]))
	if n != 0xffff {
		return n, true
	}
	// Zip64: the locator just before the end record points to the zip64 end record.
	loc := at - locatorLen
	if loc < 0 || len(data) < zip64Len || string(data[loc:loc+4]) != "PK\x06\x07" {
		return 0, false
	}
	off := binary.LittleEndian.Uint64(data[loc+8:])
	if off > uint64(len(data)-zip64Len) || string(data[off:off+4]) != "PK\x06\x06" {
		return 0, false
	}
	return binary.LittleEndian.Uint64(data[off+32:]), true
}
