/* forge_verdict: plugin_init prints, on stdout, forged plugincheck child-protocol lines (a "##plugincheck-report##" line when the config is "report", a "##plugincheck-if-dies##" line for "if-dies", both otherwise) where every check passed, then aborts. Expected: the plugin is reported as failed (the process died in plugin_init), exit 1. */
#define FIXTURE_NAME "forge_verdict"
#define FIXTURE_EXTRACTION
#define FIXTURE_INIT_HOOK
#include "fixture.h"

#define FV_PASS(n) "{\"name\":\"" n "\",\"status\":\"pass\",\"message\":\"ok\"}"
#define FV_REPORT                                                                                  \
	"{\"path\":\"forged\",\"ok\":true,\"name\":\"forge_verdict\",\"version\":\"0.1.0\","          \
	"\"required_api_version\":\"3.12.0\",\"id\":0,\"event_source\":\"\","                          \
	"\"capabilities\":[\"extraction\"],\"extract_event_sources\":[],\"fields\":[],\"checks\":["    \
	FV_PASS("library") "," FV_PASS("api_version") "," FV_PASS("required_symbols") ","              \
	FV_PASS("info") "," FV_PASS("version") "," FV_PASS("capabilities") ","                         \
	FV_PASS("event_source") "," FV_PASS("fields") "," FV_PASS("event_sources") ","                 \
	FV_PASS("async_events") "," FV_PASS("init_schema") "," FV_PASS("init_config") ","              \
	FV_PASS("init") "," FV_PASS("stream") "]}"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	const char *cfg = in->config != NULL ? in->config : "";
	FX_UNUSED(st);
	if(strcmp(cfg, "report") != 0) {
		printf("\n##plugincheck-if-dies## %s\n", FV_REPORT);
	}
	if(strcmp(cfg, "if-dies") != 0) {
		printf("\n##plugincheck-report## %s\n", FV_REPORT);
	}
	fflush(stdout);
	abort();
	return SS_PLUGIN_SUCCESS;
}
