package filter

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error Parse returns.
var ErrInvalid = errors.New("invalid filter expression")

// SyntaxError locates a rejected expression. Offset is a byte offset into the source.
type SyntaxError struct {
	Offset int
	Msg    string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid filter: %s at offset %d", e.Msg, e.Offset)
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *SyntaxError) Unwrap() error { return ErrInvalid }

func errAt(offset int, format string, args ...any) error {
	return &SyntaxError{Offset: offset, Msg: fmt.Sprintf(format, args...)}
}
