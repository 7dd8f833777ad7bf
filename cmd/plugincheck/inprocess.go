package main

// --isolate=false runs every check in one process, and a plugin can end
// that process: a segfault or abort, a Go runtime panic (exit status 2, the
// usage code), or exit(0) halfway through the report. So plugincheck runs
// the in-process checks in one copy of itself (inProcessEnv=1) and
// watches it: the copy writes to file descriptor 3 "checking PATH" before
// each file and "exit N" as it ends. Without that last line, a plugin
// ended the copy, and plugincheck exits exitCrashed naming the file. The
// copy writes its report to descriptor 4, copied to plugincheck's stdout;
// its stdout and stderr, where plugins print, go to plugincheck's stderr,
// escaped as in isolated mode (escapeWriter).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// inProcessEnv marks the copy of plugincheck that checks in process.
const inProcessEnv = "PLUGHOST_PLUGINCHECK_IN_PROCESS"

// inProcessStatus is the copy's status pipe (file descriptor 3); nil in
// any other process.
var inProcessStatus = func() *os.File {
	if os.Getenv(inProcessEnv) != "1" {
		return nil
	}
	f := os.NewFile(reportFD, "plugincheck-status")
	if f == nil {
		return nil
	}
	if _, err := f.Stat(); err != nil {
		return nil
	}
	return f
}()

// inProcessOut is where the copy writes its report (file descriptor 4):
// its stdout (descriptor 1) is the watcher's stderr, so that what plugins
// print does not mix with the report. Nil in any other process.
var inProcessOut = func() *os.File {
	if inProcessStatus == nil {
		return nil
	}
	f := os.NewFile(reportFD+1, "plugincheck-report")
	if f == nil {
		return nil
	}
	if _, err := f.Stat(); err != nil {
		return nil
	}
	return f
}()

// inProcessSay writes a status line to the watching plugincheck, if any.
func inProcessSay(format string, a ...any) {
	if inProcessStatus != nil {
		fmt.Fprintf(inProcessStatus, format+"\n", a...)
	}
}

// crashedError says that a plugin ended the in-process copy.
type crashedError struct{ msg string }

func (e *crashedError) Error() string { return e.msg }

// exitStatusError passes on the copy's exit status; it has printed all
// there is to say.
type exitStatusError struct{ code int }

func (e *exitStatusError) Error() string { return "exit status " + strconv.Itoa(e.code) }

// watchInProcess runs args in a copy of plugincheck that checks in process
// and returns how it ended.
func watchInProcess(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot re-execute itself to watch the in-process checks: %w", err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		pr.Close()
		pw.Close()
		return err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), inProcessEnv+"=1")
	pluginOut := &escapeWriter{w: stderr}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, pluginOut, pluginOut
	cmd.ExtraFiles = []*os.File{pw, outW}
	outDone := make(chan struct{})
	go func() {
		defer close(outDone)
		io.Copy(stdout, outR)
	}()
	// Pass SIGINT/SIGTERM on as SIGTERM; kill if it does not stop.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	var checking string
	exitCode := -1
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(pr)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if p, ok := strings.CutPrefix(line, "checking "); ok {
				checking = p
			} else if c, ok := strings.CutPrefix(line, "exit "); ok {
				if n, err := strconv.Atoi(c); err == nil {
					exitCode = n
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	runErr := cmd.Start()
	pw.Close()
	outW.Close()
	if runErr == nil {
		runErr = cmd.Wait()
	}
	// A process left behind may hold the write ends open.
	timeout := time.After(cmd.WaitDelay)
	for _, done := range []chan struct{}{readDone, outDone} {
		select {
		case <-done:
		case <-timeout:
		}
	}
	pr.Close()
	outR.Close()
	<-readDone
	<-outDone
	if err := pluginOut.Flush(); err != nil && runErr == nil {
		runErr = err
	}
	var ee *exec.ExitError
	switch {
	case runErr != nil && !errors.As(runErr, &ee):
		return runErr
	case exitCode >= 0 && cmd.ProcessState.ExitCode() == exitCode:
		return &exitStatusError{exitCode}
	case ctx.Err() != nil:
		return &interruptedError{ctx.Err()}
	}
	where := "before checking any file"
	if checking != "" {
		where = "while checking " + checking
	}
	return &crashedError{fmt.Sprintf("the process checking plugins in process ended %s: %s (a plugin crashed or exited; --isolate=true reports it as a failed check)", where, cmd.ProcessState)}
}
