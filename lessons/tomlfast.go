package lessons

import (
	"math"
	"reflect"
	"strings"
	"sync"

	gotoml "github.com/pelletier/go-toml/v2"
)

// Decoding TOML is most of what checking a pack costs: BurntSushi/toml, whose
// errors and metadata make our messages (tomlerr.go, unknown keys), builds a
// map of every value and a string of every key before it fills a struct, and
// reads about 4 MB/s. go-toml/v2 decodes the same files about five times
// faster. So every file is decoded with go-toml first; only a file it refuses
// or is not sure of (a syntax error, an unknown key, a value of another type
// than the field's, TOML it does not read) is decoded again by BurntSushi,
// which says what is wrong exactly as before. A file both accept decodes to
// the same value (FuzzFastTOML checks it).
//
// go-toml's own strict mode is not used: it finds where each unknown key is
// by reading the file from its start, so a file of 20,000 unknown keys costs
// gigabytes (TestBiggestAllowedTOMLStaysSmall).

// decodeTOMLFast decodes text into v, a pointer to a struct, and reports
// whether it could. On false, v is as it was before the call.
func decodeTOMLFast(text string, v any) bool {
	ok, _ := decodeTOMLFastClean(text, v, false)
	return ok
}

// decodeTOMLFastClean is decodeTOMLFast, and when clean is set it also
// sanitises every string it stores, as cleanStrings would after it, and
// reports whether that changed one.
//
// go-toml parses the text once, into a tree of maps; fill then checks the
// tree against v's type (fitsType) and stores it, where decoding the text a
// second time straight into v would cost more than the first parse.
func decodeTOMLFastClean(text string, v any, clean bool) (ok, changed bool) {
	var tree map[string]any
	if gotoml.Unmarshal([]byte(text), &tree) != nil || !fitsType(tree, reflect.TypeOf(v)) {
		return false, false
	}
	return true, fill(tree, reflect.ValueOf(v), clean)
}

// fill stores the decoded TOML value tree in v, which fitsType accepted for
// it, as go-toml would decode the same text into v: a pointer or a map is
// made when nil, a slice made to the array's length, an integer converted
// for a float. With clean, every string stored is sanitised (Clean), and
// fill reports whether one changed.
func fill(tree any, v reflect.Value, clean bool) (changed bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return fill(tree, v.Elem(), clean)
	case reflect.Struct:
		for k, e := range tree.(map[string]any) {
			f, _ := tomlField(v.Type(), k)
			if fill(e, v.FieldByIndex(f.Index), clean) {
				changed = true
			}
		}
	case reflect.Map:
		m := tree.(map[string]any)
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(v.Type(), len(m)))
		}
		if v.Type().ConvertibleTo(stringMap) { // quiz.Text: most maps of a pack
			sm := v.Convert(stringMap).Interface().(map[string]string) // the same map
			for k, e := range m {
				s := e.(string)
				if clean {
					var c bool
					if s, c = Clean(s); c {
						changed = true
					}
				}
				sm[k] = s
			}
			return changed
		}
		et := v.Type().Elem()
		for k, e := range m {
			ev := reflect.New(et).Elem()
			if fill(e, ev, clean) {
				changed = true
			}
			v.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), ev)
		}
	case reflect.Slice:
		s := tree.([]any)
		sv := reflect.MakeSlice(v.Type(), len(s), len(s))
		for i, e := range s {
			if fill(e, sv.Index(i), clean) {
				changed = true
			}
		}
		v.Set(sv)
	case reflect.String:
		s := tree.(string)
		if clean {
			s, changed = Clean(s)
		}
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(tree.(bool))
	case reflect.Int, reflect.Int64:
		v.SetInt(tree.(int64))
	case reflect.Float64:
		switch n := tree.(type) {
		case float64:
			v.SetFloat(n)
		case int64:
			v.SetFloat(float64(n))
		}
	}
	return changed
}

// maxExactInt is the largest integer every float64 holds exactly:
// BurntSushi refuses a larger one for a float field.
const maxExactInt = 1 << 53

// fitsType reports whether the decoded TOML value tree fills t with no key
// left over and every value of the field's own kind (an integer may fill a
// float). Anything it does not know, it refuses: the slow path decides.
func fitsType(tree any, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range m {
			f, ok := tomlField(t, k)
			if !ok || !fitsType(v, f.Type) {
				return false
			}
		}
		return true
	case reflect.Map:
		m, ok := tree.(map[string]any)
		if !ok || t.Key().Kind() != reflect.String {
			return false
		}
		for _, v := range m {
			if !fitsType(v, t.Elem()) {
				return false
			}
		}
		return true
	case reflect.Slice:
		s, ok := tree.([]any)
		if !ok {
			return false
		}
		for _, v := range s {
			if !fitsType(v, t.Elem()) {
				return false
			}
		}
		return true
	case reflect.String:
		_, ok := tree.(string)
		return ok
	case reflect.Bool:
		_, ok := tree.(bool)
		return ok
	case reflect.Int, reflect.Int64:
		n, ok := tree.(int64)
		return ok && n >= math.MinInt && n <= math.MaxInt // int is 32 bits on windows/386
	case reflect.Float64:
		switch n := tree.(type) {
		case float64:
			return !math.IsNaN(n) && !math.IsInf(n, 0)
		case int64:
			return n >= -maxExactInt && n <= maxExactInt
		}
		return false
	}
	return false
}

// tomlField finds the field of struct t that key k fills: by its toml tag,
// or by name for an untagged field. Keys that match a field only when case is
// ignored, and embedded structs, are left to the slow path.
func tomlField(t reflect.Type, k string) (reflect.StructField, bool) {
	fields, ok := tomlFields.Load(t)
	if !ok {
		byKey := map[string]reflect.StructField{}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() || f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			switch {
			case name == "-":
				continue
			case name == "":
				name = f.Name
			}
			if _, dup := byKey[name]; !dup {
				byKey[name] = f
			}
		}
		fields, _ = tomlFields.LoadOrStore(t, byKey)
	}
	f, ok := fields.(map[string]reflect.StructField)[k]
	return f, ok
}

var stringMap = reflect.TypeFor[map[string]string]()

// tomlFields caches tomlField's table of each struct type: key → field.
var tomlFields sync.Map
