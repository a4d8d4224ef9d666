// Package quiz holds the question model, grading, shuffling and pass rules.
// It imports nothing else of hocso, so packs, the store and the screens can all
// share one definition of what a question is and how it is scored.
package quiz

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Text is a piece of text in several languages, keyed by language code ("vi", "en").
type Text map[string]string

// DefaultLang is the language every pack must provide and every lookup falls back to.
const DefaultLang = "vi"

// In returns the text in lang, falling back to Vietnamese, then to any language present.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if s, ok := t[DefaultLang]; ok && s != "" {
		return s
	}
	for _, s := range t {
		if s != "" {
			return s
		}
	}
	return ""
}

// Kind names a question type as written in a pack's quiz.toml.
type Kind string

// The question types.
const (
	Single    Kind = "single"    // exactly one correct option
	Multiple  Kind = "multiple"  // several options may be correct
	TrueFalse Kind = "truefalse" // a statement that is true or false
	Short     Kind = "short"     // a typed word or phrase
	Numeric   Kind = "numeric"   // a typed number, exact, with tolerance or in a range
	Matching  Kind = "matching"  // pair each left item with a right item
	Ordering  Kind = "ordering"  // put items in the right order
)

// Kinds lists every question type in the order the documentation gives them.
var Kinds = []Kind{Single, Multiple, TrueFalse, Short, Numeric, Matching, Ordering}

// Skill names what a question asks of the learner, written as `kind` in a
// pack's quiz.toml (the Go name differs because Kind is the question type).
// It does not change grading: it lets a trainer, and the built-in pack's
// tests, see whether a quiz tests practice or only memory.
type Skill string

// The skills a question can test.
const (
	Recall  Skill = "recall"  // remembering a number, date, symbol or issuer
	Concept Skill = "concept" // understanding what something is or why
	Applied Skill = "applied" // deciding what to do in a situation at work
)

// Skills lists every skill in the order the documentation gives them.
var Skills = []Skill{Recall, Concept, Applied}

// Scoring of a multiple-choice question.
const (
	AllOrNothing = "all_or_nothing"
	Partial      = "partial"
)

// Option is one choice of a single- or multiple-choice question.
type Option struct {
	ID      string `toml:"id" json:"id"`
	Text    Text   `toml:"text" json:"text"`
	Correct bool   `toml:"correct,omitempty" json:"correct,omitempty"`
	// Weight is the share of the question's points, in percent, that choosing this
	// option gives (negative to penalise) under partial scoring. Nil means derived.
	Weight   *float64 `toml:"weight,omitempty" json:"weight,omitempty"`
	Feedback Text     `toml:"feedback,omitempty" json:"feedback,omitempty"`
}

// Pair is one row of a matching question: Left is shown, Right is chosen.
type Pair struct {
	ID    string `toml:"id" json:"id"`
	Left  Text   `toml:"left" json:"left"`
	Right Text   `toml:"right" json:"right"`
}

// Item is one element of an ordering question; a question lists its items in the right order.
type Item struct {
	ID   string `toml:"id" json:"id"`
	Text Text   `toml:"text" json:"text"`
}

// Question is one question of a quiz. Which fields matter depends on Kind.
type Question struct {
	ID      string   `toml:"id" json:"id"`
	Kind    Kind     `toml:"type" json:"type"`
	Skill   Skill    `toml:"kind,omitempty" json:"kind,omitempty"`
	Points  float64  `toml:"points,omitempty" json:"points,omitempty"`
	Sources []string `toml:"sources,omitempty" json:"sources,omitempty"`
	// Tags are the trainer's labels for the question (Moodle's [tag:…]); learners never see them.
	Tags        []string `toml:"tags,omitempty" json:"tags,omitempty"`
	Text        Text     `toml:"text" json:"text"`
	Explanation Text     `toml:"explanation,omitempty" json:"explanation,omitempty"`

	// Single and Multiple.
	Options []Option `toml:"option,omitempty" json:"options,omitempty"`
	Scoring string   `toml:"scoring,omitempty" json:"scoring,omitempty"`

	// TrueFalse: the statement's truth.
	Correct *bool `toml:"correct,omitempty" json:"correct,omitempty"`

	// Short: accepted answers per language.
	Accept           map[string][]string `toml:"accept,omitempty" json:"accept,omitempty"`
	CaseSensitive    bool                `toml:"case_sensitive,omitempty" json:"case_sensitive,omitempty"`
	IgnoreDiacritics bool                `toml:"ignore_diacritics,omitempty" json:"ignore_diacritics,omitempty"`

	// Numeric: Value ± Tolerance, or the closed range [Min, Max].
	Value     *float64 `toml:"value,omitempty" json:"value,omitempty"`
	Tolerance float64  `toml:"tolerance,omitempty" json:"tolerance,omitempty"`
	Min       *float64 `toml:"min,omitempty" json:"min,omitempty"`
	Max       *float64 `toml:"max,omitempty" json:"max,omitempty"`

	// Matching.
	Pairs []Pair `toml:"pair,omitempty" json:"pairs,omitempty"`

	// Ordering, in the right order.
	Items []Item `toml:"item,omitempty" json:"items,omitempty"`
}

// MaxPoints is what a fully correct answer earns; a question without points is worth 1.
func (q *Question) MaxPoints() float64 {
	if q.Points > 0 {
		return q.Points
	}
	return 1
}

// Hash identifies the question's content: any change a learner could notice
// (text, options, answers, points) changes it. Attempts store it with each
// answer, so an upgraded pack can tell which answers were given to older wording.
// The kind is left out: it tells authors what the question tests, and
// re-tagging a question must not mark learners' answers as given to other wording.
func (q *Question) Hash() string {
	c := *q
	c.Tags = nil // a trainer's labels change nothing a learner sees
	c.Skill = ""
	b, _ := json.Marshal(&c) // maps marshal with sorted keys, so this is canonical
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Grading across attempts.
const (
	GradeHighest = "highest"
	GradeLast    = "last"
)

// Feedback timing.
const (
	FeedbackEnd       = "end"
	FeedbackImmediate = "immediate"
)

// Quiz is a module's quiz with the rules the trainer set for it.
type Quiz struct {
	ID    string `toml:"id" json:"id"`
	Title Text   `toml:"title" json:"title"`
	// PassMark is the percentage of the maximum score needed to pass (0–100).
	PassMark float64 `toml:"pass_mark" json:"pass_mark"`
	// Draw, when positive and smaller than the pool, is how many questions each attempt draws.
	Draw             int    `toml:"draw,omitempty" json:"draw,omitempty"`
	ShuffleQuestions bool   `toml:"shuffle_questions" json:"shuffle_questions"`
	ShuffleOptions   bool   `toml:"shuffle_options" json:"shuffle_options"`
	MaxAttempts      int    `toml:"max_attempts,omitempty" json:"max_attempts,omitempty"`
	Grading          string `toml:"grading,omitempty" json:"grading,omitempty"`
	Feedback         string `toml:"feedback,omitempty" json:"feedback,omitempty"`
	TimeLimitMinutes int    `toml:"time_limit_minutes,omitempty" json:"time_limit_minutes,omitempty"`

	Questions []Question `toml:"question" json:"questions"`
}

// Question returns the question with the given id, or nil.
func (z *Quiz) Question(id string) *Question {
	for i := range z.Questions {
		if z.Questions[i].ID == id {
			return &z.Questions[i]
		}
	}
	return nil
}
