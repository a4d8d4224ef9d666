package common

import (
	"errors"
	"math"

	"hocso/store"
)

// PINRefusal says why a PIN was not accepted — wrong, locked for a while
// after wrong tries, or its stored data unusable — in the learner's
// language, the same way in the TUI and accessible mode. err is what
// Store.CheckPIN returned with ok false.
func PINRefusal(c *Common, err error) string {
	var locked *store.PINLockedError
	switch {
	case err == nil:
		return c.T("PINWrong")
	case errors.As(err, &locked):
		return c.T("PINLocked", map[string]any{"Seconds": int(math.Ceil(locked.Wait.Seconds()))})
	case errors.Is(err, store.ErrPINData):
		return c.T("PINDataDamaged")
	}
	return c.T("ErrorGeneric", map[string]any{"Error": err.Error()})
}
