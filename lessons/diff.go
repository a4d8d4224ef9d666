package lessons

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"hocso/quiz"
)

// Change says what happened to an item between two versions of a pack.
type Change string

// The changes.
const (
	Added   Change = "added"
	Changed Change = "changed"
	Removed Change = "removed"
)

// Kinds of items a Diff compares. Progress is keyed by the ids of lessons,
// quizzes and questions, so those are what learners notice.
const (
	ItemModule   = "module"
	ItemLesson   = "lesson"
	ItemQuiz     = "quiz"
	ItemQuestion = "question"
)

// ItemChange is one item added, changed or removed.
type ItemChange struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Module string `json:"module"` // the module it is in (in the new version, unless removed)
	Change Change `json:"change"`
	// Hash is the question's hash in the new version (answers record the hash
	// of the wording they were given to); "" for other kinds and for removals.
	Hash string `json:"hash,omitempty"`
	// Before and After are the item's wording (see QuestionWording) in the
	// old and new version, for a changed item: what a trainer compares.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// Diff is what changed between two versions of a pack.
type Diff struct {
	PackID     string       `json:"pack_id"`
	OldVersion string       `json:"old_version"`
	NewVersion string       `json:"new_version"`
	Changes    []ItemChange `json:"changes"`
}

// DiffPacks compares two versions of a pack by the stable ids of their
// modules, lessons, quizzes and questions: an id in both whose content differs
// is changed (a question when its Hash differs, which is what answers record),
// an id only in new is added, an id only in old is removed. Changes come in
// the new pack's order, then removals in the old pack's order.
func DiffPacks(old, new *Pack) Diff {
	d := Diff{PackID: new.ID, OldVersion: old.Version, NewVersion: new.Version, Changes: []ItemChange{}}
	before := index(old)
	seen := map[string]bool{}
	for _, it := range items(new) {
		k := it.Kind + ":" + it.ID
		seen[k] = true
		prev, ok := before[k]
		switch {
		case !ok:
			d.Changes = append(d.Changes, ItemChange{Kind: it.Kind, ID: it.ID, Module: it.Module, Change: Added, Hash: it.questionHash})
		case prev.hash != it.hash || prev.Module != it.Module:
			d.Changes = append(d.Changes, ItemChange{Kind: it.Kind, ID: it.ID, Module: it.Module, Change: Changed, Hash: it.questionHash,
				Before: prev.wording(), After: it.wording()})
		}
	}
	for _, it := range items(old) {
		if !seen[it.Kind+":"+it.ID] {
			d.Changes = append(d.Changes, ItemChange{Kind: it.Kind, ID: it.ID, Module: it.Module, Change: Removed})
		}
	}
	return d
}

type item struct {
	Kind, ID, Module string
	hash             string        // content, to compare
	questionHash     string        // quiz.Question.Hash, for questions
	wording          func() string // made only for the items that changed
}

func index(p *Pack) map[string]item {
	out := map[string]item{}
	for _, it := range items(p) {
		out[it.Kind+":"+it.ID] = it
	}
	return out
}

// items lists what a pack holds with a hash of each item's own content: a
// module's leaves out its lessons and quiz, a quiz's its questions, which are
// items of their own.
func items(p *Pack) []item {
	var out []item
	for _, m := range p.Modules {
		out = append(out, item{Kind: ItemModule, ID: m.ID, Module: m.ID,
			hash: digest(struct {
				CompleteWhen   string
				Title, Summary quiz.Text
			}{m.CompleteWhen, m.Title, m.Summary}),
			wording: func() string { return ModuleWording(m) }})
		for _, l := range m.Lessons {
			out = append(out, item{Kind: ItemLesson, ID: l.ID, Module: m.ID, hash: digest(l),
				wording: func() string { return LessonWording(l) }})
		}
		if m.Quiz == nil {
			continue
		}
		rules := *m.Quiz
		rules.Questions = nil
		out = append(out, item{Kind: ItemQuiz, ID: m.Quiz.ID, Module: m.ID, hash: digest(rules),
			wording: func() string { return QuizRulesWording(&rules) }})
		for i := range m.Quiz.Questions {
			q := &m.Quiz.Questions[i]
			h := q.Hash()
			out = append(out, item{Kind: ItemQuestion, ID: q.ID, Module: m.ID, hash: h, questionHash: h,
				wording: func() string { return QuestionWording(q) }})
		}
	}
	return out
}

func digest(v any) string {
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// CompareVersions orders two semver versions as semver does: -1 when a is
// older than b, 0 when they are the same release, 1 when a is newer. Build
// metadata (+…) is ignored; a pre-release (1.0.0-rc.1) comes before its release.
// Versions Load accepted are always semver; anything else sorts first.
func CompareVersions(a, b string) int {
	pa, okA := parseSemver(a)
	pb, okB := parseSemver(b)
	if !okA || !okB {
		return cmpInt(boolInt(okA), boolInt(okB))
	}
	for i := 0; i < 3; i++ {
		if c := cmpBig(pa.core[i], pb.core[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(pa.pre) == 0 && len(pb.pre) == 0:
		return 0
	case len(pa.pre) == 0:
		return 1
	case len(pb.pre) == 0:
		return -1
	}
	for i := 0; i < len(pa.pre) && i < len(pb.pre); i++ {
		x, y := pa.pre[i], pb.pre[i]
		xNum, yNum := isDigits(x), isDigits(y)
		var c int
		switch {
		case xNum && yNum:
			c = cmpBig(x, y)
		case xNum:
			c = -1 // numeric identifiers come before alphanumeric ones
		case yNum:
			c = 1
		default:
			c = strings.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return cmpInt(len(pa.pre), len(pb.pre))
}

type semver struct {
	core [3]string
	pre  []string
}

func parseSemver(v string) (semver, bool) {
	if !semverPattern.MatchString(v) {
		return semver{}, false
	}
	v, _, _ = strings.Cut(v, "+")
	v, pre, hasPre := strings.Cut(v, "-")
	var s semver
	copy(s.core[:], strings.SplitN(v, ".", 3))
	if hasPre {
		s.pre = strings.Split(pre, ".")
	}
	return s, true
}

// cmpBig compares unsigned decimal numbers of any length (no leading zeros).
func cmpBig(a, b string) int {
	if c := cmpInt(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
