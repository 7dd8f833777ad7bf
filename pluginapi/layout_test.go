package pluginapi_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/plughost/plughost/internal/fixtures"
	"github.com/plughost/plughost/pluginapi"
)

// Each Go mirror lists its C struct and, in order, the C member behind each
// named Go field. The C program below prints sizeof and offsetof for all of
// them, compiled against the official header.
//
// The header in plugin-sdk-go v0.8.3 is API 3.11. API 3.12 only appends
// get_required_event_schema_version to the plugin_api function table, which
// the host never mirrors (it resolves each plugin_* symbol with dlsym), so
// every struct below is unchanged in 3.12.
var layouts = []struct {
	goType  reflect.Type
	cType   string
	members []string
}{
	{reflect.TypeFor[pluginapi.EventInput](), "ss_plugin_event_input", []string{"evt", "evtnum", "evtsrc"}},
	{reflect.TypeFor[pluginapi.ByteBuffer](), "ss_plugin_byte_buffer", []string{"len", "ptr"}},
	{reflect.TypeFor[pluginapi.ExtractValueOffsets](), "ss_plugin_extract_value_offsets", []string{"start", "length"}},
	{reflect.TypeFor[pluginapi.ExtractField](), "ss_plugin_extract_field", []string{"res", "res_len", "field_id", "field", "arg_key", "arg_index", "arg_present", "ftype", "flist"}},
	{reflect.TypeFor[pluginapi.TableFieldsVtable](), "ss_plugin_table_fields_vtable", []string{"list_table_fields", "get_table_field", "add_table_field"}},
	{reflect.TypeFor[pluginapi.TableFieldsVtable](), "ss_plugin_table_fields_vtable_ext", []string{"list_table_fields", "get_table_field", "add_table_field"}},
	{reflect.TypeFor[pluginapi.TableReaderVtable](), "ss_plugin_table_reader_vtable", []string{"get_table_name", "get_table_size", "get_table_entry", "read_entry_field"}},
	{reflect.TypeFor[pluginapi.TableReaderVtableExt](), "ss_plugin_table_reader_vtable_ext", []string{"get_table_name", "get_table_size", "get_table_entry", "read_entry_field", "release_table_entry", "iterate_entries"}},
	{reflect.TypeFor[pluginapi.TableWriterVtable](), "ss_plugin_table_writer_vtable", []string{"clear_table", "erase_table_entry", "create_table_entry", "destroy_table_entry", "add_table_entry", "write_entry_field"}},
	{reflect.TypeFor[pluginapi.TableWriterVtable](), "ss_plugin_table_writer_vtable_ext", []string{"clear_table", "erase_table_entry", "create_table_entry", "destroy_table_entry", "add_table_entry", "write_entry_field"}},
	{reflect.TypeFor[pluginapi.TableInput](), "ss_plugin_table_input", []string{"name", "key_type", "table", "reader", "writer", "fields", "reader_ext", "writer_ext", "fields_ext"}},
	{reflect.TypeFor[pluginapi.InitTablesInput](), "ss_plugin_init_tables_input", []string{"list_tables", "get_table", "add_table", "fields", "fields_ext", "reader_ext", "writer_ext"}},
	{reflect.TypeFor[pluginapi.InitInput](), "ss_plugin_init_input", []string{"config", "owner", "get_owner_last_error", "tables", "log_fn"}},
	{reflect.TypeFor[pluginapi.FieldExtractInput](), "ss_plugin_field_extract_input", []string{"owner", "get_owner_last_error", "num_fields", "fields", "table_reader", "table_reader_ext", "value_offsets"}},
	{reflect.TypeFor[pluginapi.EventParseInput](), "ss_plugin_event_parse_input", []string{"owner", "get_owner_last_error", "table_reader", "table_writer", "table_reader_ext", "table_writer_ext"}},
	{reflect.TypeFor[pluginapi.SetConfigInput](), "ss_plugin_set_config_input", []string{"config"}},
	{reflect.TypeFor[pluginapi.RoutineVtable](), "ss_plugin_routine_vtable", []string{"subscribe", "unsubscribe"}},
	{reflect.TypeFor[pluginapi.CaptureListenInput](), "ss_plugin_capture_listen_input", []string{"owner", "routine", "table_reader_ext", "table_writer_ext", "get_owner_last_error"}},
	{reflect.TypeFor[pluginapi.TableInfo](), "ss_plugin_table_info", []string{"name", "key_type"}},
	{reflect.TypeFor[pluginapi.TableFieldInfo](), "ss_plugin_table_fieldinfo", []string{"name", "field_type", "read_only"}},
	{reflect.TypeFor[pluginapi.StateData](), "ss_plugin_state_data", []string{"u64"}},
	{reflect.TypeFor[pluginapi.Metric](), "ss_plugin_metric", []string{"name", "type", "value", "value_type"}},
}

func TestStructLayoutMatchesHeader(t *testing.T) {
	inc, err := fixtures.SDKHeaderDir()
	require.NoError(t, err)

	var src strings.Builder
	src.WriteString("#include <stdio.h>\n#include <stddef.h>\n#include \"plugin_api.h\"\nint main(void) {\n")
	src.WriteString(`printf("ss_plugin_event %zu\n", sizeof(ss_plugin_event));` + "\n")
	for _, l := range layouts {
		src.WriteString(`printf("` + l.cType + ` %zu\n", sizeof(` + l.cType + `));` + "\n")
		for _, m := range l.members {
			src.WriteString(`printf("` + l.cType + `.` + m + ` %zu\n", offsetof(` + l.cType + `, ` + m + `));` + "\n")
		}
	}
	src.WriteString("return 0;\n}\n")

	dir := t.TempDir()
	cfile, bin := filepath.Join(dir, "layout.c"), filepath.Join(dir, "layout")
	require.NoError(t, os.WriteFile(cfile, []byte(src.String()), 0o644))
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	out, err := exec.Command(cc, "-I", inc, "-o", bin, cfile).CombinedOutput()
	require.NoError(t, err, string(out))
	out, err = exec.Command(bin).Output()
	require.NoError(t, err)

	c := map[string]uintptr{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		n, err := strconv.ParseUint(v, 10, 64)
		require.NoError(t, err)
		c[k] = uintptr(n)
	}

	assert.Equal(t, uintptr(pluginapi.EventHeaderLen), c["ss_plugin_event"], "packed event header")
	for _, l := range layouts {
		assert.Equal(t, c[l.cType], l.goType.Size(), "sizeof(%s) vs %s", l.cType, l.goType)
		var named []reflect.StructField
		for i := 0; i < l.goType.NumField(); i++ {
			if f := l.goType.Field(i); f.Name != "_" {
				named = append(named, f)
			}
		}
		require.Len(t, named, len(l.members), "%s members", l.goType)
		for i, m := range l.members {
			assert.Equal(t, c[l.cType+"."+m], named[i].Offset, "offsetof(%s, %s) vs %s.%s", l.cType, m, l.goType, named[i].Name)
		}
	}
}
