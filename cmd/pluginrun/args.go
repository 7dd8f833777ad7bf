package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// options is pluginrun's command line, Falco's flags for what pluginrun does.
type options struct {
	configFile    string
	rulesFiles    []string // -r: nil when not given
	overrides     []string // -o key=value, in order
	duration      time.Duration
	describeAll   bool   // -L
	describeRule  string // -l
	listFields    bool   // --list
	listSource    string // --list=SOURCE
	listPlugins   bool
	validate      []string // -V
	dryRun        bool
	pluginsDir    string
	help, version bool
}

// usageError is a bad command line (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// parseArgs reads the command line as Falco's option parser (cxxopts)
// does for these flags: `-c F` or `-cF` or `--c=F`, repeatable -r, -o and
// -V, and `--list` whose source can only be given as `--list=SOURCE`.
func parseArgs(args []string) (*options, error) {
	o := &options{configFile: "/etc/falco/falco.yaml"}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := splitFlag(a)
		if name == "" {
			return nil, usagef("unexpected argument %q: pluginrun takes no positional arguments", a)
		}
		needValue := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", usagef("Option '%s' is missing an argument", name)
			}
			i++
			return args[i], nil
		}
		noValue := func() error {
			if hasVal {
				return usagef("Option '%s' does not take an argument", name)
			}
			return nil
		}
		var err error
		switch name {
		case "c":
			o.configFile, err = needValue()
		case "r":
			var v string
			if v, err = needValue(); err == nil {
				o.rulesFiles = append(o.rulesFiles, v)
			}
		case "o", "option":
			var v string
			if v, err = needValue(); err == nil {
				o.overrides = append(o.overrides, v)
			}
		case "V", "validate":
			var v string
			if v, err = needValue(); err == nil {
				o.validate = append(o.validate, v)
			}
		case "M":
			var v string
			if v, err = needValue(); err == nil {
				n, perr := strconv.ParseUint(v, 10, 31)
				if perr != nil {
					return nil, usagef("Argument '%s' failed to parse", v)
				}
				o.duration = time.Duration(n) * time.Second
			}
		case "L":
			err = noValue()
			o.describeAll = true
		case "l":
			o.describeRule, err = needValue()
		case "list":
			o.listFields = true
			o.listSource = val
		case "list-plugins":
			err = noValue()
			o.listPlugins = true
		case "dry-run":
			err = noValue()
			o.dryRun = true
		case "plugins-dir":
			o.pluginsDir, err = needValue()
		case "h", "help":
			o.help = true
		case "version":
			o.version = true
		default:
			return nil, usagef("Option '%s' does not exist", name)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// splitFlag splits "-c", "-cF", "--name" and "--name=value".
func splitFlag(a string) (name, val string, hasVal bool) {
	switch {
	case strings.HasPrefix(a, "--") && len(a) > 2:
		name, val, hasVal = strings.Cut(a[2:], "=")
		return name, val, hasVal
	case strings.HasPrefix(a, "-") && len(a) > 1:
		if len(a) > 2 {
			return a[1:2], a[2:], true
		}
		return a[1:], "", false
	}
	return "", "", false
}
