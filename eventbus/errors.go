package eventbus

import "errors"

// Sentinels matched with errors.Is; every error the bus returns, apart
// from ctx.Err() when Run is cancelled, is an *Error wrapping one.
var (
	ErrNoRegistry        = errors.New("no registry")
	ErrUnknownSource     = errors.New("unknown event source")
	ErrSourceNotEnabled  = errors.New("event source not in Config.Sources")
	ErrUnknownPlugin     = errors.New("unknown plugin")
	ErrUnknownField      = errors.New("unknown field")
	ErrField             = errors.New("invalid field")
	ErrSourceMismatch    = errors.New("compiled for another event source")
	ErrSubscribeAfterRun = errors.New("subscribe after run")
	ErrAlreadyRun        = errors.New("bus already run")
	ErrInitConfig        = errors.New("invalid init config")
	ErrInit              = errors.New("plugin init failed")
	ErrOpen              = errors.New("pipeline open failed")
	ErrStream            = errors.New("stream failed")
	ErrSubscriber        = errors.New("subscriber failed")
	ErrPipelineClosed    = errors.New("pipeline closed")
)

// Error is a failure of the bus. The members that do not apply are empty,
// so callers can report them without parsing the message.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Source string // the event source involved
	Plugin string // the plugin involved
	Field  string // the subscriber field involved
	Msg    string // what went wrong, without the cause
	Err    error  // the cause (a loader, capability, registry or subscriber error); nil when none
}

func (e *Error) Error() string {
	switch {
	case e.Err == nil:
		return "eventbus: " + e.Msg
	case e.Msg == "":
		return "eventbus: " + e.Err.Error()
	}
	return "eventbus: " + e.Msg + ": " + e.Err.Error()
}

// Unwrap returns the sentinel and the cause, so errors.Is matches both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}
