/* full: all five capabilities plus init schema, set_config, get_metrics and required event schema "3.0.0"; init/set_config fail with "level too high" when the config has "level":99. Expected: valid. */
#define FIXTURE_NAME "full"
#define FIXTURE_SOURCING
#define FIXTURE_SOURCING_EXTRAS
#define FIXTURE_ID 993
#define FIXTURE_EVENT_SOURCE "fixture_full"
#define FIXTURE_EXTRACTION
#define FIXTURE_PARSING
#define FIXTURE_ASYNC
#define FIXTURE_CAPTURE_LISTEN
#define FIXTURE_INIT_SCHEMA \
	"{\"type\":\"object\",\"properties\":{\"level\":{\"type\":\"integer\",\"minimum\":0}}," \
	"\"additionalProperties\":false}"
#define FIXTURE_SET_CONFIG
#define FIXTURE_SET_CONFIG_HOOK
#define FIXTURE_METRICS
#define FIXTURE_REQUIRED_EVENT_SCHEMA_VERSION "3.0.0"
#define FIXTURE_INIT_HOOK
#include "fixture.h"

static ss_plugin_rc full_check_level(fx_state *st, const char *config) {
	if(config != NULL && strstr(config, "\"level\":99") != NULL) {
		fx_set_error(st, "level too high");
		return SS_PLUGIN_FAILURE;
	}
	return SS_PLUGIN_SUCCESS;
}

/* The config itself is stored by plugin_init (st->config). */
static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	FX_UNUSED(in);
	return full_check_level(st, st->config);
}

static ss_plugin_rc fixture_set_config_hook(fx_state *st, const char *config) {
	return full_check_level(st, config);
}
