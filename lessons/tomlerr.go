package lessons

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// The TOML decoder speaks English to programmers ("incompatible types: TOML
// value has type string; destination has type boolean"). A trainer gets one
// of our own messages instead, in their language, with the line and column;
// the decoder's words stay in the problem's Detail, for --json and bug reports.

// tomlKinds maps what the decoder says it found or wanted to one of the value
// kinds a trainer writes; each has a message TomlKind_<kind>.
var tomlKinds = map[string]string{
	"string": "string", "primitive (string-like)": "string",
	"int64": "integer", "integer": "integer",
	"float64": "number", "float": "number",
	"bool": "boolean", "boolean": "boolean",
	"time.Time": "date", "slice": "list", "[]any": "list", "[]interface {}": "list",
	"map": "table", "map[string]any": "table", "map[string]interface {}": "table", "[]map[string]any": "tables",
}

func tomlKind(goType string) string {
	if k, ok := tomlKinds[goType]; ok {
		return k
	}
	if strings.HasPrefix(goType, "[]") {
		return "list"
	}
	return "table"
}

// tomlCases classify the decoder's messages, most specific first. Each group
// of the pattern fills the data field named beside it.
var tomlCases = []struct {
	re     *regexp.Regexp
	id     string
	fields []string
}{
	{regexp.MustCompile(`incompatible types: TOML value has type (.+); destination has type (.+)$`), "TomlWrongType", []string{"Got", "Want"}},
	{regexp.MustCompile(`expected table but found (.+)$`), "TomlWrongType", []string{"Got"}},
	{regexp.MustCompile(`Key '(.*)' (?:has already been defined|was already created)`), "TomlDuplicateKey", []string{"Key"}},
	{regexp.MustCompile(`"(.*)" is not a table`), "TomlDuplicateKey", []string{"Key"}},
	{regexp.MustCompile(`strings cannot contain newlines`), "TomlNewlineInString", nil},
	{regexp.MustCompile(`newlines not allowed within inline tables`), "TomlNewlineInInlineTable", nil},
	{regexp.MustCompile(`unexpected EOF; expected ('''|"""|'|")`), "TomlUnclosedString", []string{"Quote"}},
	{regexp.MustCompile(`invalid escape in string '(.+)'`), "TomlBadEscape", []string{"Escape"}},
	{regexp.MustCompile(`hexadecimal digits after '(.+?)'`), "TomlBadEscape", []string{"Escape"}},
	{regexp.MustCompile(`out of (?:the safe )?.*range`), "TomlNumberRange", nil},
	{regexp.MustCompile(`invalid float|not a (?:binary|octal|hexadecimal) number|floats must start|expected a digit|cannot use sign`), "TomlBadNumber", nil},
	{regexp.MustCompile(`invalid datetime|invalid duration`), "TomlBadDate", nil},
	{regexp.MustCompile(`top-level item to end with a newline`), "TomlExtraText", nil},
	{regexp.MustCompile(`table name|table array name|table separator`), "TomlBadTableName", nil},
	{regexp.MustCompile(`key name appears blank|keys cannot start|key separator|expected '\.' or '='|^unexpected '[=.]'$`), "TomlBadKey", nil},
	{regexp.MustCompile(`comma|array terminator|inline table terminator`), "TomlBadList", nil},
	{regexp.MustCompile(`control characters|NULL bytes|invalid UTF-8`), "TomlBadCharacter", nil},
	{regexp.MustCompile(`expected value|unexpected EOF`), "TomlMissingValue", nil},
}

// typeErrorWhere reads "line 4 (last key "x")" from the decoder's type errors,
// which, unlike its syntax errors, are not ParseErrors.
var typeErrorWhere = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "(.*?)"\): `)

// tomlProblem turns an error of toml.Decode on text into a Problem of file.
func tomlProblem(file, text string, err error) Problem {
	p := Problem{File: file, ID: "TomlSyntax", Detail: err.Error()}
	msg := err.Error()
	var pe toml.ParseError
	if errors.As(err, &pe) {
		p.Line, p.Col, p.Field, msg = pe.Position.Line, pe.Position.Col, pe.LastKey, pe.Message
	} else if m := typeErrorWhere.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Field = m[2]
		msg = msg[len(m[0]):]
	}
	if p.Line == 0 && p.Field != "" {
		p.Line = lineOfKey(text, lastPart(p.Field))
	}
	if p.Col == 0 && p.Line > 0 {
		p.Col = valueColumn(text, p.Line)
	}
	for _, c := range tomlCases {
		m := c.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		p.ID = c.id
		for i, f := range c.fields {
			if p.Data == nil {
				p.Data = map[string]any{}
			}
			p.Data[f] = m[i+1]
		}
		break
	}
	if p.ID == "TomlWrongType" {
		got, _ := p.Data["Got"].(string)
		want, ok := p.Data["Want"].(string)
		if !ok {
			want = "map"
		}
		p.Data = map[string]any{"Got": Word("TomlKind_" + tomlKind(got)), "Want": Word("TomlKind_" + tomlKind(want))}
	}
	if p.ID == "TomlDuplicateKey" {
		p.Data["Key"] = lastPart(p.Data["Key"].(string))
	}
	return p
}

func lastPart(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// valueColumn is the column where the value starts on a "key = value" line,
// or 1: where a trainer should look first.
func valueColumn(text string, line int) int {
	lines := strings.SplitN(text, "\n", line+1)
	if line > len(lines) {
		return 0
	}
	l := lines[line-1]
	if i := strings.IndexByte(l, '='); i >= 0 {
		rest := l[i+1:]
		return len([]rune(l[:i+1])) + len([]rune(rest)) - len([]rune(strings.TrimLeft(rest, " \t"))) + 1
	}
	return 1
}
