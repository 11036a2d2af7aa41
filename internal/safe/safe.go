// Package safe runs work that must not take the process down with it: a
// panic in one command, delivery or server loop is logged with its stack and
// becomes an error, and every other user carries on.
package safe

import (
	"fmt"
	"log/slog"
	"runtime/debug"
)

// Call runs fn and returns its error; a panic in fn is logged under name,
// with its stack, and returned as an error instead.
func Call(log *slog.Logger, name string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			log.Error("recovered from a panic", "in", name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = fmt.Errorf("%s: panic: %v", name, p)
		}
	}()
	return fn()
}
