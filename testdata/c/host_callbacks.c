/* host_callbacks: init logs twice, calls get_owner_last_error and in->tables->list_tables; fails with "no tables input" if tables/owner/log_fn is NULL. Expected: valid (init succeeds when the host provides all callbacks). */
#define FIXTURE_NAME "host_callbacks"
#define FIXTURE_EXTRACTION
#define FIXTURE_FIELDS \
	"[{\"type\":\"uint64\",\"name\":\"host.ntables\",\"desc\":\"tables reported by list_tables at init\"}," \
	"{\"type\":\"bool\",\"name\":\"host.list_tables_called\",\"desc\":\"whether init called list_tables\"}," \
	"{\"type\":\"string\",\"name\":\"host.owner_last_error\",\"desc\":\"get_owner_last_error at init, <null> for NULL\"}]"
#define FIXTURE_STATE_EXTRA       \
	uint64_t ntables;             \
	int list_tables_called;       \
	char owner_last_error[256];
#define FIXTURE_INIT_HOOK
#define FIXTURE_EXTRACT_HOOK
#include "fixture.h"

static ss_plugin_rc fixture_init_hook(fx_state *st, const ss_plugin_init_input *in) {
	const ss_plugin_init_tables_input *t;
	const char *err = NULL;

	/* A NULL tables pointer would crash a C++ SDK plugin; fail cleanly instead. */
	if(in == NULL || in->tables == NULL) {
		fx_set_error(st, "no tables input");
		return SS_PLUGIN_FAILURE;
	}
	if(in->owner == NULL) {
		fx_set_error(st, "no tables input: owner is NULL");
		return SS_PLUGIN_FAILURE;
	}
	if(in->log_fn == NULL) {
		fx_set_error(st, "no tables input: log_fn is NULL");
		return SS_PLUGIN_FAILURE;
	}

	in->log_fn(in->owner, NULL, "hello from init", SS_PLUGIN_LOG_SEV_INFO);
	in->log_fn(in->owner, "comp", "warning from init", SS_PLUGIN_LOG_SEV_WARNING);

	if(in->get_owner_last_error != NULL) {
		err = in->get_owner_last_error(in->owner);
	}
	snprintf(st->owner_last_error, sizeof(st->owner_last_error), "%s",
	         err != NULL ? err : "<null>");

	/* From here on in->tables is used without further checks. */
	t = in->tables;
	if(t->list_tables != NULL) {
		uint32_t n = 0;
		ss_plugin_table_info *infos = t->list_tables(in->owner, &n);
		st->list_tables_called = 1;
		st->ntables = infos != NULL ? n : 0;
	}
	return SS_PLUGIN_SUCCESS;
}

static int fixture_extract_hook(fx_state *st, fx_slot *slot, ss_plugin_extract_field *f) {
	switch(f->field_id) {
	case 0:
		fx_set_u64(slot, f, st->ntables);
		return 1;
	case 1:
		fx_set_bool(slot, f, st->list_tables_called);
		return 1;
	case 2:
		fx_set_str(slot, f, st->owner_last_error);
		return 1;
	default:
		return 0;
	}
}
