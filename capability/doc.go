// Package capability wraps an initialized plugin (loader.State) with one
// typed API per capability: Source for event sourcing and Extractor for
// field extraction.
//
// Memory borrowed from a plugin is never handed out past its lifetime:
// events are lent to a callback (Stream.Next) and go stale when it returns;
// extracted values are copied into host-owned buffers before the plugin is
// called again.
//
// Close every Stream and Extractor of a state before destroying the state:
// they hold the plugin's handle.
package capability
