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
// tree against v's type as it stores it, where decoding the text a second
// time straight into v would cost more than the first parse. v must hold its
// zero value (any other is left to the slow path), so that a tree refused
// half way is undone by setting v to zero again.
func decodeTOMLFastClean(text string, v any, clean bool) (ok, changed bool) {
	return decodeTOMLBytesFastClean([]byte(text), v, clean)
}

// decodeTOMLBytesFastClean is decodeTOMLFastClean of the text in b, which it
// only reads: a caller holding the text as bytes spares a copy.
func decodeTOMLBytesFastClean(b []byte, v any, clean bool) (ok, changed bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || !rv.Elem().IsZero() {
		return false, false
	}
	var tree map[string]any
	if gotoml.Unmarshal(b, &tree) != nil {
		return false, false
	}
	if ok, changed = fill(tree, rv.Elem(), clean); !ok {
		rv.Elem().SetZero()
		return false, false
	}
	return true, changed
}

// maxExactInt is the largest integer every float64 holds exactly:
// BurntSushi refuses a larger one for a float field.
const maxExactInt = 1 << 53

// fill stores the decoded TOML value tree in v as go-toml would decode the
// same text into v (a pointer or map made when nil, a slice made to the
// array's length, an integer converted for a float), if the tree fills v's
// type with no key left over and every value of the field's own kind (an
// integer may fill a float). Anything it does not know, it refuses (ok
// false, v then partly filled): the slow path decides. With clean, every
// string stored is sanitised (Clean), and changed reports whether one was.
func fill(tree any, v reflect.Value, clean bool) (ok, changed bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return fill(tree, v.Elem(), clean)
	case reflect.Struct:
		m, ok := tree.(map[string]any)
		if !ok {
			return false, false
		}
		fields := tomlFieldsOf(v.Type())
		for k, e := range m {
			f, ok := fields[k]
			if !ok {
				return false, false
			}
			ok, c := fill(e, v.FieldByIndex(f.Index), clean)
			if !ok {
				return false, false
			}
			changed = changed || c
		}
		return true, changed
	case reflect.Map:
		m, ok := tree.(map[string]any)
		t := v.Type()
		if !ok || t.Key().Kind() != reflect.String {
			return false, false
		}
		if v.IsNil() {
			v.Set(reflect.MakeMapWithSize(t, len(m)))
		}
		if t.Key() == stringType && t.Elem() == stringType { // quiz.Text: most maps of a pack
			sm := v.Convert(stringMap).Interface().(map[string]string) // the same map
			for k, e := range m {
				s, ok := e.(string)
				if !ok {
					return false, false
				}
				if clean {
					var c bool
					s, c = Clean(s)
					changed = changed || c
				}
				sm[k] = s
			}
			return true, changed
		}
		for k, e := range m {
			ev := reflect.New(t.Elem()).Elem()
			ok, c := fill(e, ev, clean)
			if !ok {
				return false, false
			}
			changed = changed || c
			v.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		return true, changed
	case reflect.Slice:
		s, ok := tree.([]any)
		if !ok {
			return false, false
		}
		sv := reflect.MakeSlice(v.Type(), len(s), len(s))
		for i, e := range s {
			ok, c := fill(e, sv.Index(i), clean)
			if !ok {
				return false, false
			}
			changed = changed || c
		}
		v.Set(sv)
		return true, changed
	case reflect.String:
		s, ok := tree.(string)
		if !ok {
			return false, false
		}
		if clean {
			s, changed = Clean(s)
		}
		v.SetString(s)
		return true, changed
	case reflect.Bool:
		b, ok := tree.(bool)
		if ok {
			v.SetBool(b)
		}
		return ok, false
	case reflect.Int, reflect.Int64:
		n, ok := tree.(int64)
		if !ok || n < math.MinInt || n > math.MaxInt { // int is 32 bits on windows/386
			return false, false
		}
		v.SetInt(n)
		return true, false
	case reflect.Float64:
		switch n := tree.(type) {
		case float64:
			if math.IsNaN(n) || math.IsInf(n, 0) {
				return false, false
			}
			v.SetFloat(n)
			return true, false
		case int64:
			if n < -maxExactInt || n > maxExactInt {
				return false, false
			}
			v.SetFloat(float64(n))
			return true, false
		}
	}
	return false, false
}

// tomlFieldsOf is the table of the fields of struct t by the key that fills
// each: its toml tag, or its name for an untagged field. Keys that match a
// field only when case is ignored, and embedded structs, are left to the
// slow path.
func tomlFieldsOf(t reflect.Type) map[string]reflect.StructField {
	if fields, ok := tomlFields.Load(t); ok {
		return fields.(map[string]reflect.StructField)
	}
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
	fields, _ := tomlFields.LoadOrStore(t, byKey)
	return fields.(map[string]reflect.StructField)
}

var (
	stringMap  = reflect.TypeFor[map[string]string]()
	stringType = reflect.TypeFor[string]()
)

// tomlFields caches tomlField's table of each struct type: key → field.
var tomlFields sync.Map
