package lessons

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// miniArchive builds the mini pack into a .hocpack in memory.
func miniArchive(t testing.TB) []byte {
	t.Helper()
	_, files, problems := LoadDir("testdata/mini")
	if problems.Err() != nil {
		t.Fatal(problems)
	}
	var buf bytes.Buffer
	if err := WriteArchive(&buf, files, "hocso test"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipEntry is one entry to write into a crafted archive.
type zipEntry struct {
	header zip.FileHeader
	data   []byte
	raw    bool // data is already compressed, header sizes are written as given
}

// entries reads an archive back into entries that a test can change.
func entries(t *testing.T, data []byte) []zipEntry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zipEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, zipEntry{header: f.FileHeader, data: b})
	}
	return out
}

func plain(name, text string) zipEntry {
	return zipEntry{header: zip.FileHeader{Name: name, Method: zip.Deflate}, data: []byte(text)}
}

func writeZip(t *testing.T, es []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := e.header
		if e.raw {
			w, err := zw.CreateRaw(&h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.data)
			continue
		}
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = 0, 0, 0
		w, err := zw.CreateHeader(&h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflated(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(b)
	fw.Close()
	return buf.Bytes()
}

func TestArchiveRoundTrip(t *testing.T) {
	data := miniArchive(t)
	if !bytes.Equal(data, miniArchive(t)) {
		t.Error("building the same pack twice gave different bytes")
	}
	files, problems := ReadArchive("mini.hocpack", data, DefaultLimits())
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	p, problems := LoadFiles(files)
	want, _ := Load(os.DirFS("testdata/mini"))
	if len(problems) > 0 || p.Hash != want.Hash {
		t.Fatalf("loaded from archive: %v, hash %s; want %s", problems, p.Hash, want.Hash)
	}
	path := filepath.Join(t.TempDir(), "mini.hocpack")
	_, files, _ = LoadDir("testdata/mini")
	if err := BuildArchive(path, files, "hocso test"); err != nil {
		t.Fatal(err)
	}
	p2, _, onDisk, problems := LoadPath(path)
	if len(problems) > 0 || p2.Hash != want.Hash || !bytes.Equal(onDisk, data) {
		t.Fatalf("LoadPath(.hocpack): %v", problems)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".hocpack-*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestReadArchiveRefusesBadInput(t *testing.T) {
	good := miniArchive(t)
	symlink := zip.FileHeader{Name: "modules/01-co-ban/03-link.vi.md", Method: zip.Store}
	symlink.SetMode(fs.ModeSymlink | 0o777)
	encrypted := zip.FileHeader{Name: "secret.md", Method: zip.Deflate, Flags: 0x1}
	zeros := bytes.Repeat([]byte{0}, 1<<20)
	huge := deflated(t, bytes.Repeat([]byte("a"), 3<<20))
	small := func(f func(*Limits)) Limits { l := DefaultLimits(); f(&l); return l }
	tests := []struct {
		name  string
		data  func(t *testing.T) []byte
		lim   Limits
		id    string
		file  string
		alone bool // the only problem reported
	}{
		{"entry with ../", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain("../../.bashrc", "rm -rf ~")))
		}, DefaultLimits(), "ProblemUnsafePath", "../../.bashrc", false},
		{"absolute entry", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain("/etc/cron.d/x", "x")))
		}, DefaultLimits(), "ProblemUnsafePath", "/etc/cron.d/x", false},
		{"backslash entry", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain(`modules\..\..\evil.md`, "x")))
		}, DefaultLimits(), "ProblemUnsafePath", `modules\..\..\evil.md`, false},
		{"drive letter", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain("C:/Windows/evil.md", "x")))
		}, DefaultLimits(), "ProblemUnsafePath", "C:/Windows/evil.md", false},
		{"symlink entry", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), zipEntry{header: symlink, data: []byte("../../../etc/passwd")}))
		}, DefaultLimits(), "ProblemSymlink", "modules/01-co-ban/03-link.vi.md", false},
		{"zip bomb (compression ratio)", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), zipEntry{header: zip.FileHeader{Name: "bomb.md", Method: zip.Deflate}, data: zeros}))
		}, DefaultLimits(), "ProblemZipBomb", "bomb.md", false},
		{"header lies about the size", func(t *testing.T) []byte {
			h := zip.FileHeader{Name: "liar.md", Method: zip.Deflate, CompressedSize64: uint64(len(huge)), UncompressedSize64: 100}
			return writeZip(t, append(entries(t, good), zipEntry{header: h, data: huge, raw: true}))
		}, DefaultLimits(), "ProblemCorrupt", "liar.md", false},
		{"oversized file", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain("big.md", strings.Repeat("Chuyển đổi số. ", 300_000))))
		}, DefaultLimits(), "ProblemFileTooLarge", "big.md", false},
		{"too many files", func(t *testing.T) []byte { return good }, small(func(l *Limits) { l.MaxFiles = 5 }),
			"ProblemTooManyFiles", "mini.hocpack", true},
		{"entry count claimed in the end record", func(t *testing.T) []byte {
			b := bytes.Clone(good)
			eocd := bytes.LastIndex(b, []byte("PK\x05\x06"))
			binary.LittleEndian.PutUint16(b[eocd+10:], 0xfffe)
			return b
		}, DefaultLimits(), "ProblemTooManyFiles", "mini.hocpack", true},
		{"total too large", func(t *testing.T) []byte { return good }, small(func(l *Limits) { l.MaxTotalBytes = 3000 }),
			"ProblemPackTooLarge", "mini.hocpack", true},
		{"archive too large", func(t *testing.T) []byte { return good }, small(func(l *Limits) { l.MaxArchiveBytes = 1000 }),
			"ProblemArchiveTooLarge", "mini.hocpack", true},
		{"encrypted entry", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), zipEntry{header: encrypted, data: []byte("x")}))
		}, DefaultLimits(), "ProblemZipMethod", "secret.md", false},
		{"not a zip", func(t *testing.T) []byte { return []byte("Đây không phải tệp nén.") }, DefaultLimits(),
			"ProblemNotArchive", "mini.hocpack", true},
		{"no manifest", func(t *testing.T) []byte { return writeZip(t, entries(t, good)[1:]) }, DefaultLimits(),
			"ProblemNoArchiveManifest", ManifestName, true},
		{"manifest from a newer format", func(t *testing.T) []byte {
			es := entries(t, good)
			es[0].data = bytes.Replace(es[0].data, []byte("format = 1"), []byte("format = 2"), 1)
			return writeZip(t, append(es, plain("../future", "x")))
		}, DefaultLimits(), "ProblemArchiveNewerFormat", ManifestName, true},
		{"tampered file", func(t *testing.T) []byte {
			es := entries(t, good)
			for i := range es {
				if es[i].header.Name == quizFile {
					es[i].data = bytes.Replace(es[i].data, []byte("Bộ Chính trị"), []byte("Quốc hội"), 1)
				}
			}
			return writeZip(t, es)
		}, DefaultLimits(), "ProblemHashMismatch", quizFile, true},
		{"file added after the build", func(t *testing.T) []byte {
			return writeZip(t, append(entries(t, good), plain("modules/01-co-ban/03-them.vi.md", "x")))
		}, DefaultLimits(), "ProblemNotInManifest", "modules/01-co-ban/03-them.vi.md", true},
		{"file removed after the build", func(t *testing.T) []byte {
			var es []zipEntry
			for _, e := range entries(t, good) {
				if e.header.Name != lessonVI {
					es = append(es, e)
				}
			}
			return writeZip(t, es)
		}, DefaultLimits(), "ProblemMissingFromArchive", lessonVI, true},
		{"the same entry twice", func(t *testing.T) []byte {
			es := entries(t, good)
			return writeZip(t, append(es, es[len(es)-1]))
		}, DefaultLimits(), "ProblemDuplicatePath", "sources.toml", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files, problems := ReadArchive("mini.hocpack", tc.data(t), tc.lim)
			got := find(problems, tc.id)
			if got == nil {
				t.Fatalf("no %s among %v", tc.id, problems)
			}
			if got.File != tc.file || got.Warning {
				t.Errorf("problem = %+v; want an error in %s", *got, tc.file)
			}
			if tc.alone && len(problems) != 1 {
				t.Errorf("want only %s, got %v", tc.id, problems)
			}
			if problems.Err() == nil {
				t.Error("the archive would be accepted")
			}
			if files != nil {
				for _, name := range files.Names() {
					if !safePath(name) {
						t.Errorf("unsafe path %q among the files", name)
					}
				}
			}
		})
	}
}

// TestArchiveContentIsValidatedLikeAFolder shows that a well-formed archive
// whose content is bad is refused by the same checks as a folder (Load).
func TestArchiveContentIsValidatedLikeAFolder(t *testing.T) {
	files := newFiles() // in memory, so that the test can spoil them
	for name, f := range miniFS(t) {
		files.add(name, f.Data)
	}
	files.data[lessonVI] = bytes.Replace(files.data[lessonVI], []byte("Không chỉ"), []byte("Kh\xf4ng chỉ"), 1)
	files.data[quizFile] = bytes.Replace(files.data[quizFile], []byte(`id = "cb-q2"`), []byte(`id = "cb-q1"`), 1)
	var buf bytes.Buffer
	if err := WriteArchive(&buf, files, "hocso test"); err != nil {
		t.Fatal(err)
	}
	got, problems := ReadArchive("x.hocpack", buf.Bytes(), DefaultLimits())
	if len(problems) > 0 {
		t.Fatalf("the archive itself is sound: %v", problems)
	}
	_, problems = LoadFiles(got)
	for _, id := range []string{"ProblemNotUTF8", "ProblemDuplicateID"} {
		if find(problems, id) == nil {
			t.Errorf("%s missing from %v", id, problems)
		}
	}
}

func TestReadArchiveRefusesAFileWhereAFolderIs(t *testing.T) {
	good := miniArchive(t)
	es := entries(t, good)
	data := writeZip(t, append(es, plain("modules/01-co-ban/quiz.toml/x.md", "x")))
	_, problems := ReadArchive("x.hocpack", data, DefaultLimits())
	if got := find(problems, "ProblemDuplicatePath"); got == nil || got.File != "modules/01-co-ban/quiz.toml/x.md" {
		t.Fatalf("file under a file: %v", problems)
	}
}
