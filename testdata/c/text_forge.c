/* text_forge: sourcing (id 994, source "text_forge") and extraction of text.ctl = "v\x1b[2K\rforged" for evt-<i>, field text.ctl's description holding ESC, CR and BS; plugin_init fails when the config is "fail" with a last error holding newlines, a forged "<path>: passed" line, a forged summary line and terminal escapes that erase lines; with the config "print", plugin_init prints such a forged line, escapes and an invalid UTF-8 byte on stdout and on stderr, then succeeds. Expected: in text output, every control character a plugin supplied is escaped (\x1b, \r, ...), and a plugin's newline starts a continuation line indented under the message column, never a line of its own; what the plugin printed reaches plugincheck's stderr with its control characters other than newline and tab escaped, isolated and in process. */
#define FIXTURE_NAME "text_forge"
#define FIXTURE_ID 994
#define FIXTURE_EVENT_SOURCE "text_forge"
#define FIXTURE_SOURCING
#define FIXTURE_EXTRACTION
#define FIXTURE_EXTRACT_SOURCES "[\"text_forge\"]"
#define FIXTURE_FIELDS                                                                                          \
	"[{\"type\":\"string\",\"name\":\"text.ctl\",\"desc\":\"ctl\\u001b[1A\\u001b[2K\\rfake\\bdesc\\u007f\"}]"
#define FIXTURE_INIT_HOOK
#define FIXTURE_EXTRACT_HOOK
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	if(in->config != NULL && strcmp(in->config, "fail") == 0) {
		fx_set_error(st, "bad config\n/some/plugin.so: passed\n\x1b[1A\x1b[2K\r"
		                 "1 plugin checked: 1 passed, 0 failed\x1b[0m");
		return SS_PLUGIN_FAILURE;
	}
	if(in->config != NULL && strcmp(in->config, "print") == 0) {
		fputs("\x1b[1A\x1b[2K\rout.so: passed\tok\xff\n", stdout);
		fflush(stdout);
		fputs("\x1b[1A\x1b[2K\rerr.so: passed\tok\xff\n", stderr);
		fflush(stderr);
	}
	return SS_PLUGIN_SUCCESS;
}

static int fixture_extract_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f) {
	FX_UNUSED(st);
	fx_set_str(slot, f, "v\x1b[2K\rforged\nline");
	return 1;
}
