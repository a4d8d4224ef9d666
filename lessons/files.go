package lessons

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits bound what hocso reads from a pack, in a folder or an archive. A pack
// is text, so anything far bigger is a mistake or an attack (a zip bomb).
type Limits struct {
	MaxFiles        int   // files in the pack
	MaxFileBytes    int64 // one file, unpacked
	MaxTotalBytes   int64 // all files together, unpacked
	MaxArchiveBytes int64 // the .hocpack file itself
	MaxRatio        int64 // unpacked ÷ packed size of one archive entry

	// TOML files are scanned against these before they are parsed (see tomlscan.go).
	MaxLineBytes    int // one line of a TOML file
	MaxTOMLKeyParts int // parts of one dotted key: a.b.c is 3
	MaxTOMLDepth    int // how deep a key or value sits: header parts, key parts, arrays, inline tables
	MaxTOMLKeys     int // keys and tables in one TOML file
}

// ratioFloor is the unpacked size under which an entry's compression ratio is
// not checked: tiny files compress oddly and cannot make a bomb.
const ratioFloor = 64 << 10

// DefaultLimits are the limits hocso applies to every pack.
func DefaultLimits() Limits {
	return Limits{
		MaxFiles:        5000,
		MaxFileBytes:    MaxFileSize,
		MaxTotalBytes:   128 << 20,
		MaxArchiveBytes: 64 << 20,
		MaxRatio:        100,
		MaxLineBytes:    64 << 10,
		MaxTOMLKeyParts: 6,
		MaxTOMLDepth:    10,
		MaxTOMLKeys:     20000,
	}
}

// Files are a pack's files, read and checked: safe relative paths, plain
// files only, within the limits. It is an fs.FS, so Load reads it, and what
// was checked is exactly what gets built or installed. The files of an
// archive are left compressed in the archive's bytes (which a signature
// covers), those of a folder on disk, each with its SHA-256, read again when
// needed and refused if they changed, so that a big pack is never held whole.
type Files struct {
	data map[string][]byte            // files held in memory
	sums map[string][sha256.Size]byte // files left on disk, in dir, or in an archive
	dir  string
	// zipped are files left compressed in an archive held in memory.
	zipped map[string]*zip.File
	sizes  map[string]int64
	// refusedNames are files of the pack that were refused when read, with
	// a problem that says why (see refusedFS).
	refusedNames map[string]bool
	names        []string // sorted

	digestOnce sync.Once // FilesDigest, computed once
	digest     string
	digestErr  error
	folded     map[string]string // lower-case NFC name → name, to catch names only case tells apart
}

func newFiles() *Files {
	return &Files{data: map[string][]byte{}, sums: map[string][sha256.Size]byte{}, zipped: map[string]*zip.File{},
		sizes: map[string]int64{}, folded: map[string]string{}, refusedNames: map[string]bool{}}
}

// errChanged is a folder's file that differs from what was checked.
var errChanged = errors.New("the file changed after the pack was checked; check it again")

// bytes is the content of the file name, checked.
func (f *Files) bytes(name string) ([]byte, error) {
	if b, ok := f.data[name]; ok {
		return b, nil
	}
	sum, ok := f.sums[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	if zf, ok := f.zipped[name]; ok {
		return unzipAgain(zf, f.sizes[name], sum)
	}
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	b, err := readRegular(root, name, f.sizes[name])
	switch {
	case errors.Is(err, errTooLarge), errors.Is(err, errNotRegular), err == nil && sha256.Sum256(b) != sum:
		return nil, &fs.PathError{Op: "read", Path: name, Err: errChanged}
	}
	return b, err
}

// add stores a file whose path was already checked; it reports the name it
// would take the place of on disk, if any: the same name on a case-insensitive
// file system, or a file where a folder of the pack is (or the reverse).
func (f *Files) add(name string, b []byte) (clash string) {
	key := strings.ToLower(norm.NFC.String(name))
	if other, ok := f.folded[key]; ok {
		return other
	}
	for d := path.Dir(name); d != "."; d = path.Dir(d) {
		if _, ok := f.sizes[d]; ok {
			return d
		}
	}
	if i := sort.SearchStrings(f.names, name+"/"); i < len(f.names) && strings.HasPrefix(f.names[i], name+"/") {
		return f.names[i]
	}
	f.folded[key] = name
	f.data[name] = b
	f.sizes[name] = int64(len(b))
	i := sort.SearchStrings(f.names, name)
	f.names = append(f.names, "")
	copy(f.names[i+1:], f.names[i:])
	f.names[i] = name
	return ""
}

// unzipAgain unpacks an entry read and checked before: the archive's bytes
// are held in memory and do not change, so it unpacks to what it did.
func unzipAgain(zf *zip.File, size int64, sum [sha256.Size]byte) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := readSized(rc, size, size)
	if err == nil && sha256.Sum256(b) != sum {
		err = &fs.PathError{Op: "read", Path: zf.Name, Err: errChanged}
	}
	return b, err
}

// addZipped is add for an archive entry zf, read as b, which is not kept.
func (f *Files) addZipped(name string, b []byte, zf *zip.File) (clash string) {
	if clash = f.addOnDisk(name, b); clash == "" {
		f.zipped[name] = zf
	}
	return clash
}

// addOnDisk is add for a file of the folder f.dir, read as b, which is not kept.
func (f *Files) addOnDisk(name string, b []byte) (clash string) {
	if clash = f.add(name, nil); clash == "" {
		delete(f.data, name)
		f.sums[name] = sha256.Sum256(b)
		f.sizes[name] = int64(len(b))
	}
	return clash
}

// Names lists the files' paths in order.
func (f *Files) Names() []string { return slices.Clone(f.names) }

// Size is the total of the files' sizes.
func (f *Files) Size() int64 {
	var n int64
	for _, size := range f.sizes {
		n += size
	}
	return n
}

func (f *Files) shared(name string) ([]byte, error) { return f.bytes(name) }

func (f *Files) refused(name string) bool { return f.refusedNames[name] }

// ReadFile implements fs.ReadFileFS.
func (f *Files) ReadFile(name string) ([]byte, error) {
	b, err := f.bytes(name)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(b), nil
}

// Open implements fs.FS.
func (f *Files) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if _, ok := f.sizes[name]; ok {
		b, err := f.bytes(name)
		if err != nil {
			return nil, err
		}
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(b))}, r: bytes.NewReader(b)}, nil
	}
	entries, err := f.ReadDir(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &memDir{info: memInfo{name: path.Base(name), dir: true}, entries: entries}, nil
}

// ReadDir implements fs.ReadDirFS.
func (f *Files) ReadDir(name string) ([]fs.DirEntry, error) {
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	var out []fs.DirEntry
	seen := map[string]bool{}
	for _, n := range f.names[sort.SearchStrings(f.names, prefix):] {
		rest, ok := strings.CutPrefix(n, prefix)
		if !ok {
			break
		}
		child, _, isDir := strings.Cut(rest, "/")
		if seen[child] {
			continue
		}
		seen[child] = true
		info := memInfo{name: child, dir: isDir}
		if !isDir {
			info.size = f.sizes[n]
		}
		out = append(out, info)
	}
	if out == nil && name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// WriteTo writes every file under dir, which must exist, and flushes each to
// disk, so that a pack installed there survives a power cut.
func (f *Files) WriteTo(dir string) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	dirs := map[string]bool{}
	for _, name := range f.names {
		if d := path.Dir(name); d != "." && !dirs[d] {
			if err := root.MkdirAll(d, 0o755); err != nil {
				return err
			}
			dirs[d] = true
		}
	}
	// Most of the time goes in waiting for each file's flush: a few files
	// are written at once so that the disk sees the flushes together.
	names := make(chan string)
	errs := make(chan error, writers)
	for range writers {
		go func() {
			var first error
			for name := range names {
				if first == nil {
					first = f.writeOne(root, name)
				}
			}
			errs <- first
		}()
	}
	for _, name := range f.names {
		names <- name
	}
	close(names)
	for range writers {
		if e := <-errs; err == nil {
			err = e
		}
	}
	return err
}

// writers is how many files WriteTo writes at once.
const writers = 4

// writeOne writes the file name under root and flushes it to disk.
func (f *Files) writeOne(root *os.Root, name string) error {
	b, err := f.bytes(name)
	if err != nil {
		return err
	}
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time         { return time.Time{} }
func (i memInfo) IsDir() bool                { return i.dir }
func (i memInfo) Sys() any                   { return nil }
func (i memInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i memInfo) Info() (fs.FileInfo, error) { return i, nil }

type memFile struct {
	info memInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *memFile) Close() error               { return nil }

type memDir struct {
	info    memInfo
	entries []fs.DirEntry
}

func (d *memDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: fs.ErrInvalid}
}
func (d *memDir) Close() error { return nil }
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		out := d.entries
		d.entries = nil
		return out, nil
	}
	if len(d.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(d.entries))
	out := d.entries[:n]
	d.entries = d.entries[n:]
	return out, nil
}

// safePath reports whether name may be the path of a file in a pack on every
// system hocso runs on: relative, slash-separated, no "." or ".." elements,
// no backslashes or drive letters, no control characters, no names Windows
// reserves or silently changes.
func safePath(name string) bool {
	if !utf8.ValidString(name) || !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, `\:*?"<>|`) {
		return false
	}
	if strings.IndexFunc(name, isUnsafeControl) >= 0 {
		return false
	}
	for _, el := range strings.Split(name, "/") {
		if strings.HasSuffix(el, ".") || strings.HasSuffix(el, " ") {
			return false
		}
		stem, _, _ := strings.Cut(strings.ToUpper(el), ".")
		switch stem {
		case "CON", "PRN", "AUX", "NUL":
			return false
		}
		if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && stem[3] >= '0' && stem[3] <= '9' {
			return false
		}
	}
	return true
}

// shownPath is a path as it may be printed: one that could hold terminal
// escapes or invalid UTF-8 is quoted.
func shownPath(name string) string {
	if utf8.ValidString(name) && strings.IndexFunc(name, isUnsafeControl) < 0 {
		return name
	}
	return strconv.QuoteToASCII(name)
}

// skipped reports files a folder may hold that are not part of the pack:
// hidden files and folders (.git, .DS_Store) and editor backups.
func skipped(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")
}

// ReadFolder reads the pack in the folder dir into memory, checking it as an
// archive is checked: symbolic links and anything that is not a plain file
// are refused (they could lead outside the pack), and the limits apply.
// Hidden files and folders are left out. Over the limits, it stops reading
// and returns no files, so that nothing is reported of a pack read in part.
func ReadFolder(dir string, lim Limits) (*Files, Problems) {
	var problems Problems
	overLimit := false
	add := func(file, id string, data map[string]any) {
		problems = append(problems, Problem{File: file, ID: id, Data: data})
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		add(dir, "ProblemRead", map[string]any{"Error": err.Error()})
		return nil, problems
	}
	defer root.Close()
	files := newFiles()
	files.dir = dir
	var total int64
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			add(shownPath(name), "ProblemRead", map[string]any{"Error": err.Error()})
			return nil
		}
		if name == "." || name == ManifestName { // a manifest is rebuilt by every build
			return nil
		}
		if skipped(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			add(shownPath(name), "ProblemSymlink", nil)
			files.refusedNames[name] = true
			return nil
		case d.IsDir():
			if !safePath(name) {
				add(shownPath(name), "ProblemUnsafePath", nil)
				return fs.SkipDir
			}
			return nil
		case !d.Type().IsRegular():
			add(shownPath(name), "ProblemNotRegular", nil)
			files.refusedNames[name] = true
			return nil
		case !safePath(name):
			add(shownPath(name), "ProblemUnsafePath", nil)
			return nil
		}
		if len(files.names) >= lim.MaxFiles {
			add(".", "ProblemTooManyFiles", map[string]any{"Limit": lim.MaxFiles})
			overLimit = true
			return fs.SkipAll
		}
		b, err := readRegular(root, name, lim.MaxFileBytes)
		if err != nil {
			files.refusedNames[name] = true
		}
		switch {
		case errors.Is(err, errTooLarge):
			add(name, "ProblemFileTooLarge", map[string]any{"Limit": lim.MaxFileBytes >> 20})
			return nil
		case errors.Is(err, errNotRegular):
			add(name, "ProblemNotRegular", nil)
			return nil
		case err != nil:
			add(name, "ProblemRead", map[string]any{"Error": err.Error()})
			return nil
		}
		if total += int64(len(b)); total > lim.MaxTotalBytes {
			add(".", "ProblemPackTooLarge", map[string]any{"Limit": lim.MaxTotalBytes >> 20})
			overLimit = true
			return fs.SkipAll
		}
		if clash := files.addOnDisk(name, b); clash != "" {
			add(name, "ProblemDuplicatePath", map[string]any{"Other": clash})
		}
		return nil
	})
	if err != nil {
		add(dir, "ProblemRead", map[string]any{"Error": err.Error()})
	}
	if overLimit {
		return nil, problems
	}
	return files, problems
}

var (
	errTooLarge   = errors.New("file too large")
	errNotRegular = errors.New("not a regular file")
)

// readRegular reads one plain file of root, at most limit bytes. The check
// after opening catches a file swapped for something else since the walk.
func readRegular(root *os.Root, name string, limit int64) ([]byte, error) {
	fi, err := root.Lstat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	if fi.Size() > limit {
		return nil, errTooLarge
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	b, err := readSized(f, fi.Size(), limit)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// readSized reads r to its end, but at most limit+1 bytes, into a buffer
// made for size bytes (the size the file said it has): io.ReadAll would grow
// its buffer step by step, allocating several times the size of a big file.
func readSized(r io.Reader, size, limit int64) ([]byte, error) {
	r = io.LimitReader(r, limit+1)
	b := make([]byte, 0, min(max(size, 0), limit)+1) // +1: EOF is seen without growing
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) { // larger than it said: grow as append does
			b = append(b, 0)[:len(b)]
		}
	}
}

// LoadDir reads the pack in folder dir (see ReadFolder) and loads it (see
// LoadFiles). It returns the files, so that what was checked is what gets
// built or installed.
func LoadDir(dir string) (*Pack, *Files, Problems) {
	files, problems := ReadFolder(dir, DefaultLimits())
	if files == nil {
		return nil, nil, problems
	}
	p, more := LoadFiles(files)
	return p, files, append(problems, more...).sorted()
}

// LoadFiles loads a pack from checked files like Load, and also warns about
// files that the pack carries but hocso never reads: usually a misnamed lesson.
func LoadFiles(files *Files) (*Pack, Problems) { return LoadFilesEach(files, nil) }

// LoadFilesEach loads and checks a pack like LoadFiles, module by module, so
// that memory does not grow with the pack: each module, once loaded and
// checked, is handed to each (when each is not nil) and its lessons and quiz
// are then let go. The pack returned keeps the modules without them, and
// CountsByLanguage still counts what they held. Whether the modules handed
// over may be used is known only at the end: not when the problems returned
// include an error.
func LoadFilesEach(files *Files, each func(*Module)) (*Pack, Problems) {
	rec := &recordingFS{files: files, opened: map[string]bool{}}
	p, problems := load(rec, each)
	if p == nil {
		return nil, problems
	}
	for _, name := range files.names {
		// The files of a module whose module.toml was refused went unread
		// because of that refusal, already reported.
		if !rec.opened[name] && !files.refused(path.Join(path.Dir(name), "module.toml")) {
			problems = append(problems, Problem{File: name, ID: "ProblemUnusedFile", Warning: true})
		}
	}
	return p, problems.sorted()
}

// recordingFS notes which files Load opened.
type recordingFS struct {
	files  *Files
	opened map[string]bool
}

func (r *recordingFS) Open(name string) (fs.File, error) {
	r.opened[name] = true
	return r.files.Open(name)
}

func (r *recordingFS) ReadDir(name string) ([]fs.DirEntry, error) { return r.files.ReadDir(name) }

func (r *recordingFS) refused(name string) bool { return r.files.refused(name) }

func (r *recordingFS) shared(name string) ([]byte, error) {
	r.opened[name] = true
	return r.files.shared(name)
}
