package main

const usageText = `Usage: pluginrun [options]

Runs Falco plugin event sources through Falco rules, as Falco does, and
prints the alerts.

Options:
  -c <path>             falco.yaml to read (default /etc/falco/falco.yaml)
  -r <rules_file>       rules file or directory; repeatable; replaces rules_files
  -o <opt>=<val>        set a config option (a.b.c, a[0].b, a[]=v, {...} values)
  -M <num_seconds>      stop after this many seconds
  -L                    print the name and description of every rule and exit
  -l <rule>             print the name and description of one rule and exit
  --list[=<source>]     list the fields of every (or one) event source and exit
  --list-plugins        print the configured plugins and exit
  -V <rules_file>       validate rules files and exit; repeatable
  --dry-run             load config, plugins and rules, then exit
  --plugins-dir <dir>   where relative library_path values point
                        (default /usr/share/falco/plugins)
  -h, --help            print this help

Exit codes: 0 sources ended (EOF, -M, SIGINT, SIGTERM) or a listing printed;
1 config, plugin, rules or runtime error, or -V found an error; 2 bad
command line.
`
