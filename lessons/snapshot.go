package lessons

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"

	"hocso/lessons/builtin"
)

// A snapshot is a pack Load already read, checked and cleaned, saved with
// encoding/gob together with the digest of the files it came from. Decoding it
// takes about a fiftieth of the time of parsing the TOML again (see
// docs/performance.md), so the built-in course and installed packs are parsed
// once, not at every start. A snapshot is used only while the files still
// have the digest it names: a changed file means parsing again, never a stale
// pack.

// snapshotFormat changes whenever Pack or what it holds changes shape, or the
// way a snapshot is laid out.
const snapshotFormat = 2

// A snapshot is a gob stream of parts, so that it can be written module by
// module while a pack is loaded (SnapshotWriter), never holding the pack
// whole: first the format and digest, then one part per module, then the
// pack without its modules.
type snapshotPart struct {
	Format int    // first part
	Digest string // first part: FilesDigest of the files the pack was loaded from
	Module *Module
	Pack   *Pack // last part, its modules left out
	// Zeros are the paths (see zeroPointers) inside Module or Pack of
	// pointers to a zero value: gob sends no zero values, so it would decode
	// them as nil, and the pack format tells "false" and "0" from "not set"
	// (a true/false question whose statement is false, a numeric answer of 0).
	Zeros [][]int
}

// SnapshotName is the snapshot file kept beside an installed pack's files;
// it starts with a dot, so it is never part of the pack itself.
const SnapshotName = ".hocso-snapshot"

// FilesDigest digests every regular file of fsys (names, sizes and
// contents, in path order): the key a snapshot is valid for.
func FilesDigest(fsys fs.FS) (string, error) {
	if f, ok := fsys.(*Files); ok {
		// Files do not change once read: an install needs their digest
		// twice (the snapshot, the check of the unpacked folder).
		f.digestOnce.Do(func() { f.digest, f.digestErr = filesDigest(f) })
		return f.digest, f.digestErr
	}
	return filesDigest(fsys)
}

func filesDigest(fsys fs.FS) (string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case name != "." && skipped(d.Name()) && d.IsDir():
			return fs.SkipDir
		case d.Type().IsRegular() && !skipped(d.Name()):
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	read := func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
	if f, ok := fsys.(*Files); ok {
		read = f.bytes // only read: no copy needed
	}
	for _, name := range names {
		b, err := read(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// EncodeSnapshot saves p, loaded from files with the given digest.
func EncodeSnapshot(p *Pack, digest string) ([]byte, error) {
	var buf bytes.Buffer
	w := NewSnapshotWriter(&buf, digest)
	for _, m := range p.Modules {
		w.Module(m)
	}
	if err := w.Close(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SnapshotWriter writes the snapshot of a pack module by module, as
// LoadFilesEach hands them over.
type SnapshotWriter struct {
	enc *gob.Encoder
	err error
}

// NewSnapshotWriter starts a snapshot of the pack in files with the given digest.
func NewSnapshotWriter(w io.Writer, digest string) *SnapshotWriter {
	sw := &SnapshotWriter{enc: gob.NewEncoder(w)}
	sw.put(snapshotPart{Format: snapshotFormat, Digest: digest})
	return sw
}

func (sw *SnapshotWriter) put(part snapshotPart) {
	if sw.err == nil {
		if err := sw.enc.Encode(part); err != nil {
			sw.err = fmt.Errorf("encode pack snapshot: %w", err)
		}
	}
}

// Module adds the next module of the pack, whole.
func (sw *SnapshotWriter) Module(m *Module) {
	part := snapshotPart{Module: m}
	zeroPointers(reflect.ValueOf(m), nil, &part.Zeros)
	sw.put(part)
}

// Close ends the snapshot with p, whose modules were added; it returns the
// first error met.
func (sw *SnapshotWriter) Close(p *Pack) error {
	head := *p
	head.Modules = nil
	part := snapshotPart{Pack: &head}
	zeroPointers(reflect.ValueOf(&head), nil, &part.Zeros)
	sw.put(part)
	return sw.err
}

// DecodeSnapshot returns the pack in b if b is a snapshot of this format
// taken of files with the given digest; ok is false otherwise.
func DecodeSnapshot(b []byte, digest string) (p *Pack, ok bool) {
	dec := gob.NewDecoder(bytes.NewReader(b))
	var first snapshotPart
	if len(b) == 0 || dec.Decode(&first) != nil || first.Format != snapshotFormat || first.Digest != digest {
		return nil, false
	}
	var modules []*Module
	for {
		var part snapshotPart
		if dec.Decode(&part) != nil {
			return nil, false
		}
		v := reflect.ValueOf(part.Module)
		if part.Pack != nil {
			v = reflect.ValueOf(part.Pack)
		}
		if v.IsNil() {
			return nil, false
		}
		for _, path := range part.Zeros {
			if !restoreZero(v, path) {
				return nil, false
			}
		}
		if part.Pack != nil {
			part.Pack.Modules = modules
			return part.Pack, true
		}
		modules = append(modules, part.Module)
	}
}

// Builtin loads the default pack embedded in the binary: from its snapshot
// when the snapshot matches the embedded files, else by parsing them.
func Builtin() (*Pack, error) {
	digest, err := FilesDigest(builtin.FS)
	if err != nil {
		return nil, fmt.Errorf("built-in pack: %w", err)
	}
	if p, ok := DecodeSnapshot(builtin.Snapshot, digest); ok {
		return p, nil
	}
	p, problems := Load(builtin.FS)
	if err := problems.Err(); err != nil {
		return nil, fmt.Errorf("built-in pack: %w", err)
	}
	return p, nil
}

// LoadInstalled loads an installed pack from its folder like LoadDir, taking
// the snapshot kept beside its files when they have not changed, and leaving
// a snapshot there when there was none (or a stale one), for the next start.
func LoadInstalled(dir string) (*Pack, Problems) {
	files, problems := ReadFolder(dir, DefaultLimits())
	if files == nil {
		return nil, problems
	}
	digest, err := FilesDigest(files)
	if err != nil {
		return nil, append(problems, Problem{File: dir, ID: "ProblemRead", Data: map[string]any{"Error": err.Error()}})
	}
	snapPath := filepath.Join(dir, SnapshotName)
	if b, err := os.ReadFile(snapPath); err == nil {
		if p, ok := DecodeSnapshot(b, digest); ok {
			return p, problems
		}
	}
	p, more := LoadFiles(files)
	problems = append(problems, more...).sorted()
	if p != nil && problems.Err() == nil {
		if b, err := EncodeSnapshot(p, digest); err == nil {
			// Best effort: a folder hocso cannot write to only costs the
			// next start a parse.
			writeSnapshot(snapPath, b)
		}
	}
	return p, problems
}

// writeSnapshot replaces path whole or not at all.
func writeSnapshot(path string, b []byte) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hocso-snapshot-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		os.Remove(tmp.Name())
	}
}

// zeroPointers appends to out the path of every non-nil pointer to a zero
// value inside v. A path step is a struct field's index or a slice element's
// index; maps are not entered (a pack's maps hold no pointers).
func zeroPointers(v reflect.Value, path []int, out *[][]int) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Elem().IsZero() && len(path) > 0 {
			*out = append(*out, append([]int(nil), path...))
			return
		}
		zeroPointers(v.Elem(), path, out)
	case reflect.Struct:
		for _, i := range pointerFields(v.Type()) {
			zeroPointers(v.Field(i), append(path, i), out)
		}
	case reflect.Slice:
		if !holdsPointer(v.Type().Elem()) {
			return // []string, say: nothing to look at in a thousand elements
		}
		for i := 0; i < v.Len(); i++ {
			zeroPointers(v.Index(i), append(path, i), out)
		}
	}
}

// pointerFields are the indexes of the exported fields of struct t in which
// zeroPointers can find a pointer, computed once per type.
func pointerFields(t reflect.Type) []int {
	if f, ok := pointerFieldsOf.Load(t); ok {
		return f.([]int)
	}
	fields := []int{}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && holdsPointer(f.Type) {
			fields = append(fields, i)
		}
	}
	f, _ := pointerFieldsOf.LoadOrStore(t, fields)
	return f.([]int)
}

// holdsPointer is mayHoldPointer, computed once per type.
func holdsPointer(t reflect.Type) bool {
	if h, ok := holdsPointerOf.Load(t); ok {
		return h.(bool)
	}
	h, _ := holdsPointerOf.LoadOrStore(t, mayHoldPointer(t, nil))
	return h.(bool)
}

var (
	pointerFieldsOf sync.Map // reflect.Type → []int
	holdsPointerOf  sync.Map // reflect.Type → bool
)

// mayHoldPointer reports whether a value of type t is or holds, through
// exported struct fields and slice elements (not maps), a pointer.
func mayHoldPointer(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch t.Kind() {
	case reflect.Pointer:
		return true
	case reflect.Slice:
		return mayHoldPointer(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return false // already being looked at, further up
		}
		if seen == nil {
			seen = map[reflect.Type]bool{}
		}
		seen[t] = true
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHoldPointer(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

// restoreZero sets the pointer at path inside v to a new zero value; it
// reports false when the path does not fit v.
func restoreZero(v reflect.Value, path []int) bool {
	for _, step := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return false
			}
			v = v.Elem()
		}
		switch {
		case v.Kind() == reflect.Struct && step < v.NumField():
			v = v.Field(step)
		case v.Kind() == reflect.Slice && step < v.Len():
			v = v.Index(step)
		default:
			return false
		}
	}
	if v.Kind() != reflect.Pointer || !v.CanSet() {
		return false
	}
	if v.IsNil() {
		v.Set(reflect.New(v.Type().Elem()))
	}
	return true
}

// VerifyFolder reads dir back and checks that it holds exactly files: what
// was checked is what was written, proven by digest rather than by parsing
// the pack a second time. It reads one file at a time, so a big pack is not
// held twice.
func VerifyFolder(dir string, files *Files) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !d.Type().IsRegular() {
			err = fmt.Errorf("%s: not a regular file", name)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("read back %s: %w", dir, err)
	}
	want, err := FilesDigest(files)
	if err != nil {
		return err
	}
	got, err := FilesDigest(root.FS())
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s: the files on disk differ from those checked", dir)
	}
	return nil
}

// SaveSnapshot writes the snapshot of p, loaded from files, into the pack
// folder dir, so the first start after installing needs no parse either.
func SaveSnapshot(dir string, p *Pack, files *Files) error {
	digest, err := FilesDigest(files)
	if err != nil {
		return err
	}
	b, err := EncodeSnapshot(p, digest)
	if err != nil {
		return err
	}
	writeSnapshot(filepath.Join(dir, SnapshotName), b)
	return nil
}

// SnapshotFile is a snapshot written to a temporary file while a pack loads
// module by module (LoadFilesEach), for an install to move beside the
// pack's files: the pack is never held whole to be saved.
type SnapshotFile struct {
	f   *os.File
	buf *bufio.Writer
	w   *SnapshotWriter
}

// CreateSnapshotFile starts the snapshot of the pack in files in a new file
// of dir named after pattern (see os.CreateTemp).
func CreateSnapshotFile(dir, pattern string, files *Files) (*SnapshotFile, error) {
	digest, err := FilesDigest(files)
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 256<<10)
	return &SnapshotFile{f: f, buf: buf, w: NewSnapshotWriter(buf, digest)}, nil
}

// Module adds the next module, as LoadFilesEach hands it over.
func (s *SnapshotFile) Module(m *Module) { s.w.Module(m) }

// Finish ends the snapshot with p, the pack LoadFilesEach returned, and
// returns the file's path.
func (s *SnapshotFile) Finish(p *Pack) (string, error) {
	err := s.w.Close(p)
	if err == nil {
		err = s.buf.Flush()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return s.f.Name(), err
}

// Remove deletes the file unless it was moved away.
func (s *SnapshotFile) Remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}
