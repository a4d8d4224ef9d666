package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"hocso/quiz"
)

// answerFor is a right answer to q, or a plausible wrong one.
func answerFor(q *quiz.Question, right bool, rng *rand.Rand) quiz.Answer {
	switch q.Kind {
	case quiz.Single, quiz.Multiple:
		var good, bad []string
		for _, o := range q.Options {
			if o.Correct || (o.Weight != nil && *o.Weight > 0) {
				good = append(good, o.ID)
			} else {
				bad = append(bad, o.ID)
			}
		}
		if right || len(bad) == 0 {
			if q.Kind == quiz.Single && len(good) > 1 {
				good = good[:1]
			}
			return quiz.Answer{Choices: good}
		}
		wrong := bad[rng.IntN(len(bad))]
		if q.Kind == quiz.Multiple && len(good) > 1 {
			return quiz.Answer{Choices: append(slices.Clone(good[:len(good)-1]), wrong)}
		}
		return quiz.Answer{Choices: []string{wrong}}
	case quiz.TrueFalse:
		b := q.Correct != nil && *q.Correct
		if !right {
			b = !b
		}
		return quiz.Answer{Bool: &b}
	case quiz.Short:
		for _, lang := range []string{"vi", "en"} {
			if acc := q.Accept[lang]; right && len(acc) > 0 {
				return quiz.Answer{Text: acc[0]}
			}
		}
		return quiz.Answer{Text: "không nhớ"}
	case quiz.Numeric:
		x := 0.0
		switch {
		case q.Value != nil:
			x = *q.Value
		case q.Min != nil:
			x = *q.Min
		}
		if !right {
			x = x*2 + 7
		}
		return quiz.Answer{Text: strconv.FormatFloat(x, 'f', -1, 64)}
	case quiz.Matching:
		pairs := map[string]string{}
		for i, p := range q.Pairs {
			to := p.ID
			if !right && len(q.Pairs) > 1 && i < 2 {
				to = q.Pairs[1-i].ID
			}
			pairs[p.ID] = to
		}
		return quiz.Answer{Pairs: pairs}
	case quiz.Ordering:
		var ids []string
		for _, it := range q.Items {
			ids = append(ids, it.ID)
		}
		if !right && len(ids) > 1 {
			ids[0], ids[1] = ids[1], ids[0]
		}
		return quiz.Answer{Choices: ids}
	}
	return quiz.Answer{}
}
