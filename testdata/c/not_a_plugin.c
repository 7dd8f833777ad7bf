/* not_a_plugin: a shared library exporting only int hello(void), no plugin_* symbol. Expected: rejected, not a Falco plugin (required symbols missing). */
#include "plugin_api.h"

__attribute__((visibility("default"))) int hello(void);

__attribute__((visibility("default"))) int hello(void) {
	return 42;
}
