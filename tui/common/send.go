package common

import (
	"errors"
	"os"
)

// Sender moves progress off this PC. cmd/hocso provides it (the TUI does not
// import the exchange packages); nil means sending is not available.
type Sender interface {
	// OfficeKey is the office public key set up here, or "".
	OfficeKey() string
	// SetOfficeKey reads an office public key file and sets it up.
	SetOfficeKey(path string) (string, error)
	// Folders are where a bundle can be written: removable drives first,
	// then the folder used last time.
	Folders() []SendFolder
	// SendToFolder applies this PC's receipts found in dir, then writes a
	// bundle of what is still waiting.
	SendToFolder(dir string) (SendReport, error)
	// HubURL is the hub (office or province server) set up here, or "".
	HubURL() string
	// Push sends what is waiting to the hub, calling progress as batches are
	// confirmed; what the hub confirmed is acknowledged.
	Push(progress func(sent, total int)) (SendReport, error)
}

// SendFolder is a folder a bundle can be written to.
type SendFolder struct {
	Path       string
	Removable  bool
	Remembered bool
}

// SendReport is what sending to a folder did.
type SendReport struct {
	Hub      bool   // sent to the hub rather than to a folder
	Path     string // the bundle written; "" when nothing was waiting
	Written  int
	Receipts int
	Acked    int
	Pending  int
	// Conflicts counts events the hub held with other content under the
	// same ids; it keeps both versions (the office sees them).
	Conflicts int
}

// Errors a Sender returns that the screens explain in words.
var (
	ErrNoOfficeKey  = errors.New("no office key")
	ErrNotPublicKey = errors.New("not an office public key")
	ErrPrivateKey   = errors.New("a private key where the public key belongs")
)

// ExplainSend says in words why sending failed, and what to do.
func ExplainSend(c *Common, err error) string {
	switch {
	case errors.Is(err, ErrNoOfficeKey):
		return c.T("SendNoKey")
	case errors.Is(err, ErrPrivateKey):
		return c.T("SendKeyPrivate")
	case errors.Is(err, ErrNotPublicKey):
		return c.T("SendKeyNotPublic")
	case errors.Is(err, os.ErrNotExist):
		return c.T("SendFolderMissing")
	}
	return c.T("SendFailed", map[string]any{"Error": err.Error()})
}
