package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Interrupted is the cause of the context a signal cancels.
type Interrupted struct{ Signal os.Signal }

func (i *Interrupted) Error() string { return "interrupted by " + signalName(i.Signal) }

// ExitCode is the shell's convention: 128 + the signal's number.
func (i *Interrupted) ExitCode() int {
	if s, ok := i.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// NotifyContext returns a context that the first SIGINT or SIGTERM cancels,
// with an *Interrupted as its cause, so that every verb stops what it is
// doing and cleans up (a deploy switches back, init writes nothing). A
// second signal ends the process at once, for a clean-up that hangs.
func NotifyContext(stderr *os.File) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		first, ok := <-sigs
		if !ok {
			return
		}
		cancel(&Interrupted{Signal: first})
		again, ok := <-sigs
		if !ok {
			return
		}
		fmt.Fprintf(stderr, "shipshape: %s again: stopping now, without cleaning up\n", signalName(again))
		os.Exit((&Interrupted{Signal: again}).ExitCode())
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(sigs)
		cancel(nil)
	}
}

// interruptGrace is how long a verb that has nothing to clean up
// (annotated noCleanup) gets to return after a signal before Execute stops
// waiting for it: reading and parsing cannot always be interrupted midway
// (one 16 MiB manifest takes seconds), and nothing is lost by leaving them.
const interruptGrace = 200 * time.Millisecond

// noCleanup marks verbs that only read, or write all their output at the
// end in one atomic step: nothing is half-done if they are left running.
const noCleanup = "shipshape/no-cleanup"

// runInterruptibly runs the command line; once ctx is cancelled by a
// signal it waits for the verb to return, at most interruptGrace for a
// noCleanup verb, and then reports the interruption.
func runInterruptibly(ctx context.Context, run func() error, readOnly bool) error {
	done := make(chan error, 1)
	go func() { done <- run() }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		if readOnly {
			select {
			case err = <-done:
			case <-time.After(interruptGrace):
				err = context.Cause(ctx)
			}
		} else {
			err = <-done
		}
	}
	var intr *Interrupted
	if !errors.As(context.Cause(ctx), &intr) || err == nil {
		return err
	}
	if errors.Is(err, intr) { // the verb said what it did about it
		return &exitError{code: intr.ExitCode(), err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &exitError{code: intr.ExitCode(), err: intr}
	}
	// What the verb said of its clean-up (switched back, removed the
	// container) is worth keeping.
	return &exitError{code: intr.ExitCode(), err: fmt.Errorf("%w: %v", intr, err)}
}
