package reminders

import (
	"errors"
	"fmt"
)

// Error codes. Each adapter translates them to words in exactly one place.
const (
	EINVALID     = "invalid"     // the user's input is wrong; Message says how
	ENOTFOUND    = "not_found"   // the thing named does not exist
	ECONFLICT    = "conflict"    // it exists already, or the state forbids it
	EDUPLICATE   = "duplicate"   // the same request was already applied
	EUNAVAILABLE = "unavailable" // a resource (the database file) is held elsewhere
	EUNREACHABLE = "unreachable" // the platform says a DM can never reach the owner; Message says why
	EINTERNAL    = "internal"    // a bug or an I/O failure; never shown in detail
)

// Error is the one error type of kith: a code for programs and a sentence for people.
type Error struct {
	Code    string
	Message string
	Err     error // the cause, for logs; never shown to users
}

// Error renders the sentence with its cause, for logs; users see ErrorMessage.
func (e *Error) Error() string {
	switch {
	case e.Message != "" && e.Err != nil:
		return e.Message + ": " + e.Err.Error()
	case e.Message != "":
		return e.Message
	case e.Err != nil:
		return e.Code + ": " + e.Err.Error()
	}
	return e.Code
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted user-facing sentence.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure so that adapters log it and show
// "internal error" instead of its details.
func Internal(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: EINTERNAL, Err: err}
}

// ErrorCode returns the code of err: "" for nil, EINTERNAL for a foreign error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the sentence a user may see for err; internal details
// are replaced by "internal error".
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Message != "" {
		return e.Message
	}
	if err == nil {
		return ""
	}
	return "internal error"
}

// ErrDuplicate is returned by Store.Update when the request key was applied before.
var ErrDuplicate = &Error{Code: EDUPLICATE, Message: "that was already done"}
