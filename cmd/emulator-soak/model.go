package main

import (
	"fmt"
	"slices"
	"strings"
)

// state is what one image can be: absent, or present with the attribute values the soak wrote. Every write
// carries a value unique to the run, so IntAttr alone identifies which write produced a state; StrAttr is
// derived from it and checked too, so a torn record shows.
type state struct {
	present bool
	value   int64
}

func (s state) String() string {
	if !s.present {
		return "absent"
	}
	return fmt.Sprintf("present(IntAttr=%d)", s.value)
}

// strAttr is the StrAttr a write with value v stores.
func strAttr(v int64) string { return fmt.Sprintf("soak-%d", v) }

// effect is what a write does to an image in a given state: the state after it, and false when the
// service must refuse the write in that state (UpdateImage of an absent image, ref §2.4 PicNotExist).
type effect func(state) (state, bool)

// addEffect is AddImage: it creates or replaces (ref §3).
func addEffect(v int64) effect {
	return func(state) (state, bool) { return state{present: true, value: v}, true }
}

// updateEffect is UpdateImage of IntAttr and StrAttr: it needs the image (ref §2.3, §2.4).
func updateEffect(v int64) effect {
	return func(s state) (state, bool) {
		if !s.present {
			return s, false
		}
		return state{present: true, value: v}, true
	}
}

// deleteEffect is DeleteImage by ProductId and PicName: it succeeds whether or not the image exists (ref §4).
func deleteEffect() effect {
	return func(state) (state, bool) { return state{}, true }
}

// deleteByValueEffect is DeleteImage by the filter int_attr=v: it removes the image only if it holds v.
func deleteByValueEffect(v int64) effect {
	return func(s state) (state, bool) {
		if s.present && s.value == v {
			return state{}, true
		}
		return s, true
	}
}

// possible is the set of states an image may be in, given every answer the soak received: one state after
// an acknowledged write, more after a write whose answer never arrived (it may or may not have happened).
// Only the owning client writes an image, and it waits for each answer (or gives up on the connection)
// before its next call, so the order of its acknowledged writes is the order they took effect.
type possible []state

// certain returns the single state, if there is only one.
func (p possible) certain() (state, bool) {
	if len(p) == 1 {
		return p[0], true
	}
	return state{}, false
}

// has reports whether s is one of the possible states.
func (p possible) has(s state) bool { return slices.Contains(p, s) }

// acked is the set after the write was acknowledged: it happened, from one of the states that allow it.
// An empty result means the acknowledgement contradicts every possible state.
func (p possible) acked(e effect) possible {
	var out possible
	for _, s := range p {
		if next, ok := e(s); ok {
			out = out.with(next)
		}
	}
	return out
}

// unacked is the set after a write whose answer never arrived: it happened or it did not.
func (p possible) unacked(e effect) possible {
	out := slices.Clone(p)
	for _, s := range p {
		if next, ok := e(s); ok {
			out = out.with(next)
		}
	}
	return out
}

// refused is the set after the service refused a write with an answer that names a missing image (when
// missing is set) or with any other error, which changes nothing.
func (p possible) refused(missing bool) possible {
	if !missing {
		return p
	}
	return p.narrow(func(s state) bool { return !s.present })
}

// narrow keeps the states that match what a read observed; an empty result means the read contradicts
// every state the answers allow.
func (p possible) narrow(match func(state) bool) possible {
	var out possible
	for _, s := range p {
		if match(s) {
			out = append(out, s)
		}
	}
	return out
}

func (p possible) with(s state) possible {
	if p.has(s) {
		return p
	}
	return append(p, s)
}

func (p possible) String() string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = s.String()
	}
	return strings.Join(parts, " or ")
}
