package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/plughost/plughost/config"
	"github.com/plughost/plughost/eventbus"
	"github.com/plughost/plughost/loader"
	"github.com/plughost/plughost/registry"
	"github.com/plughost/plughost/rules"
)

// Exit codes, listed in the usage text and README.md.
const (
	exitOK     = 0 // the sources ended (EOF, -M, SIGINT, SIGTERM), or a listing was printed
	exitFailed = 1 // config, plugin, rules or runtime error; -V found an error
	exitUsage  = 2 // bad command line
)

// failure is an error pluginrun prints as Falco does ("Error: ...").
type failure struct{ err error }

func (f *failure) Error() string { return f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "Error: %s\n", err)
		fmt.Fprintln(stderr, "Run 'pluginrun --help' for usage.")
		return exitUsage
	}
	if opts.help {
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	if err := runOptions(ctx, opts, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "Error: %s\n", err)
		return exitFailed
	}
	return exitOK
}

// setup is what pluginrun loads before running: config, plugins, rules.
type setup struct {
	cfg     *config.Config
	reg     *registry.Registry
	plugins []*loader.Plugin
	loader  *rules.Loader
}

func loadSetup(opts *options, stderr io.Writer) (*setup, error) {
	cfg, err := config.Load(opts.configFile, config.Options{
		Overrides:  opts.overrides,
		PluginsDir: opts.pluginsDir,
		RulesFiles: opts.rulesFiles,
	})
	if err != nil {
		return nil, err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stderr, "Warning: %s\n", w)
	}
	s := &setup{cfg: cfg, reg: registry.New()}
	for _, pc := range cfg.Plugins {
		p, err := loader.Load(pc.LibraryPath, loader.Options{})
		if err != nil {
			return nil, err
		}
		if p.Name != pc.Name {
			return nil, fmt.Errorf("plugin config name '%s' does not match the name '%s' reported by %s", pc.Name, p.Name, pc.LibraryPath)
		}
		if err := s.reg.Add(p); err != nil {
			return nil, err
		}
		s.plugins = append(s.plugins, p)
	}
	return s, nil
}

func (s *setup) rulesEnv() rules.Env {
	return rules.Env{Registry: s.reg, Sources: s.reg.Sources(), AppendOutput: s.cfg.AppendOutput}
}

func (s *setup) pluginVersions() []rules.PluginVersion {
	var out []rules.PluginVersion
	for _, p := range s.plugins {
		out = append(out, rules.PluginVersion{Name: p.Name, Version: p.Version})
	}
	return out
}

func runOptions(ctx context.Context, opts *options, stdout, stderr io.Writer) error {
	s, err := loadSetup(opts, stderr)
	if err != nil {
		return err
	}
	if opts.listPlugins {
		printPlugins(stdout, s.plugins)
		return nil
	}
	if opts.listFields {
		return errors.New("--list is not supported yet: pluginrun does not print field lists")
	}
	if len(opts.validate) > 0 {
		return validate(s, opts.validate, stdout, stderr)
	}
	files, err := config.ExpandRulesFiles(s.cfg.RulesFiles)
	if err != nil {
		return err
	}
	if len(files) == 0 && !opts.listFields {
		return errors.New("You must specify at least one rules file/directory via -r or a rules_file entry in falco.yaml")
	}
	s.loader = rules.NewLoader(s.rulesEnv())
	var loadErr error
	for _, f := range files {
		res := s.loader.LoadFile(f)
		if !res.OK() {
			loadErr = errors.New(res.Text(true))
			break
		}
		if len(res.Warnings) > 0 {
			fmt.Fprintln(stderr, res.Text(true))
		}
	}
	if err := s.loader.CheckPluginRequirements(s.pluginVersions(), false); err != nil {
		loadErr = err
	}
	if loadErr != nil {
		return loadErr
	}
	if opts.describeAll || opts.describeRule != "" {
		return describeRules(s, opts, stdout)
	}
	if opts.dryRun {
		return nil
	}
	return runEngine(ctx, s, opts, stdout, stderr)
}

func runEngine(ctx context.Context, s *setup, opts *options, stdout, stderr io.Writer) error {
	cfg := s.cfg
	var sel []rules.Selection
	for _, r := range cfg.Rules {
		sel = append(sel, rules.Selection{Enable: r.Enable, Rule: r.Rule, Tag: r.Tag})
	}
	format := rules.DefaultAlertFormat()
	format.JSON = cfg.JSONOutput
	format.IncludeOutput = cfg.JSONIncludeOutputProperty
	format.IncludeTags = cfg.JSONIncludeTagsProperty
	format.IncludeMessage = cfg.JSONIncludeMessageProperty
	format.IncludeOutputFields = cfg.JSONIncludeOutputFieldsProperty
	format.TimeISO8601 = cfg.TimeFormatISO8601
	engine, err := rules.NewEngine(rules.EngineConfig{
		Registry:    s.reg,
		Rules:       s.loader.Rules(),
		Selections:  sel,
		Matching:    cfg.RuleMatching,
		MinPriority: cfg.Priority,
		Format:      format,
	})
	if err != nil {
		return err
	}
	initConfig := map[string]string{}
	openParams := map[string]string{}
	for i, pc := range cfg.Plugins {
		initConfig[pc.Name] = pc.InitConfig
		if p := s.plugins[i]; p.EventSource != "" {
			if _, dup := openParams[p.EventSource]; !dup {
				openParams[p.EventSource] = pc.OpenParams
			}
		}
	}
	bus, err := eventbus.New(eventbus.Config{Registry: s.reg, InitConfig: initConfig, OpenParams: openParams})
	if err != nil {
		return err
	}

	out, closeOut, err := openOutputs(cfg, stdout)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	sink := func(a *rules.Detection) error {
		mu.Lock()
		defer mu.Unlock()
		return out.write(a.Line)
	}
	if err := engine.Attach(bus, sink); err != nil {
		closeOut()
		return err
	}
	if opts.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.duration)
		defer cancel()
	}
	runErr := bus.Run(ctx)
	if errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded) {
		runErr = nil
	}
	if err := closeOut(); err != nil && runErr == nil {
		runErr = err
	}
	fmt.Fprint(stdout, engine.Stats().String())
	return runErr
}

// outputs writes each alert line to stdout and file_output, as configured.
type outputs struct {
	writers []*bufio.Writer
	// buffered is falco.yaml's buffered_outputs: when false (Falco's
	// default) every alert is flushed as it is written.
	buffered bool
}

func (o *outputs) write(line []byte) error {
	for _, w := range o.writers {
		if _, err := w.Write(line); err != nil {
			return err
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
		if !o.buffered {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func openOutputs(cfg *config.Config, stdout io.Writer) (*outputs, func() error, error) {
	o := &outputs{buffered: cfg.BufferedOutputs}
	var files []*os.File
	if cfg.StdoutOutput.Enabled {
		o.writers = append(o.writers, bufio.NewWriter(stdout))
	}
	if cfg.FileOutput.Enabled && cfg.FileOutput.Filename != "" {
		f, err := os.OpenFile(cfg.FileOutput.Filename, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("failed to open output file %s: %w", cfg.FileOutput.Filename, err)
		}
		files = append(files, f)
		o.writers = append(o.writers, bufio.NewWriter(f))
	}
	closeAll := func() error {
		var first error
		for _, w := range o.writers {
			if err := w.Flush(); err != nil && first == nil {
				first = err
			}
		}
		for _, f := range files {
			if err := f.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	return o, closeAll, nil
}

// validate is -V: Falco's validate_rules_files, printed as Falco prints it.
func validate(s *setup, paths []string, stdout, stderr io.Writer) error {
	v, err := rules.ValidateFiles(s.rulesEnv(), paths, s.pluginVersions(), s.cfg.JSONOutput)
	if err != nil {
		return err
	}
	for _, w := range v.Warnings {
		fmt.Fprintln(stderr, w)
	}
	fmt.Fprint(stdout, v.Stdout)
	// Falco exits with the summary as a fatal error too ("Error: ...").
	return v.Err
}

// describeRules is -L and -l in text: each rule's name and description.
func describeRules(s *setup, opts *options, stdout io.Writer) error {
	if s.cfg.JSONOutput {
		return errors.New("-L and -l with json_output are not supported yet")
	}
	var list []*rules.Rule
	if opts.describeRule != "" {
		for _, r := range s.loader.Rules() {
			if r.Name == opts.describeRule {
				list = append(list, r)
			}
		}
		if len(list) == 0 {
			return fmt.Errorf("Rule \"%s\" is not loaded", opts.describeRule)
		}
	} else {
		list = s.loader.Rules()
	}
	twoColumns(stdout, "Rule", "Description")
	twoColumns(stdout, "----", "-----------")
	for _, r := range list {
		twoColumns(stdout, r.Name, wrapText(r.Desc, 51, 110)+"\n")
	}
	return nil
}
