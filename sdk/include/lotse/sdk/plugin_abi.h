/* Lotse plugin ABI: the only contract between the Lotse host and a provider plugin.
 *
 * Plugins are native code from third parties, built with other compilers, standard libraries and exception
 * settings than the host. So only C types cross this boundary: integers, function pointers and UTF-8 JSON text
 * in buffers the plugin owns and frees. No C++ exception, RTTI object or std:: type ever crosses it.
 *
 * Versioning: a plugin exports one function, lotse_plugin_entry, returning a table whose first three fields never
 * change meaning. The host refuses a plugin whose abi_major differs from its own or whose abi_minor is newer.
 * A minor version only appends fields at the end of the table; struct_size tells the host which ones exist. */
#ifndef LOTSE_SDK_PLUGIN_ABI_H
#define LOTSE_SDK_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LOTSE_ABI_MAJOR 1
#define LOTSE_ABI_MINOR 0

/* The name of the one symbol a plugin exports. */
#define LOTSE_PLUGIN_ENTRY_SYMBOL "lotse_plugin_entry"

#if defined(_WIN32)
#define LOTSE_PLUGIN_EXPORT __declspec(dllexport)
#else
#define LOTSE_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Outcome of a plugin call. On anything but LOTSE_OK the output buffer, if set, holds a UTF-8 message. */
typedef enum lotse_status {
  LOTSE_OK = 0,
  LOTSE_ERROR = 1,           /* the plugin failed; the buffer explains why */
  LOTSE_NOT_SUPPORTED = 2,   /* the plugin does not implement this hook */
  LOTSE_BAD_REQUEST = 3      /* the host's input was not acceptable to the plugin */
} lotse_status;

/* Text produced by the plugin. Allocated by the plugin, released only through its own free_buffer, because host
 * and plugin may not share an allocator. */
typedef struct lotse_buffer {
  char* data;
  size_t size;
} lotse_buffer;

typedef struct lotse_plugin_api {
  /* Fixed forever: the host reads these before anything else. */
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size; /* sizeof(lotse_plugin_api) as the plugin was compiled */

  /* A NUL-terminated version string of the SDK the plugin was built with, e.g. "1.0.0". */
  const char* sdk_version;

  /* Writes the plugin's description (one provider and its solutions, see docs/plugin-manifest.md) as UTF-8 JSON.
   * Called once after loading; the host caches the result. */
  lotse_status (*describe)(lotse_buffer* out);

  /* Dynamic hook: a price quote for one municipality. request/request_size is UTF-8 JSON
   * {"solution_id": "...", "profile": {...}}; the answer is UTF-8 JSON. May be NULL. */
  lotse_status (*quote)(const char* request, size_t request_size, lotse_buffer* out);

  /* Releases a buffer this plugin filled. Must accept a buffer whose data is NULL. */
  void (*free_buffer)(lotse_buffer* buffer);
} lotse_plugin_api;

/* The entry point every plugin exports (LOTSE_PLUGIN in plugin.hpp defines it). Never NULL for a valid plugin. */
typedef const lotse_plugin_api* (*lotse_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* LOTSE_SDK_PLUGIN_ABI_H */
