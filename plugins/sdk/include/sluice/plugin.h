/* sluice plugin ABI — the only contract between the sluice host and a plugin.
 *
 * A plugin is a shared library that exports one C function, `sluice_plugin_entry`, returning
 * a pointer to a static descriptor. The host dlopen()s the library, calls the entry, and
 * refuses the plugin unless `abi_version` equals the host's SLUICE_PLUGIN_ABI_VERSION.
 *
 * Rules that keep the ABI stable:
 *  - Structs only grow by appending fields; each carries `struct_size` so either side can tell
 *    which fields the other knows.
 *  - No C++ exception, allocation ownership or STL type crosses this boundary: strings are
 *    NUL-terminated UTF-8 owned by the side that passes them and valid for the call only.
 *  - A plugin runs inside its own `sluice task-exec` process, one attempt per process, so a
 *    crash takes down only that attempt.
 *
 * Depends on nothing of sluice's; see docs/plugin-sdk.md.
 */
#ifndef SLUICE_PLUGIN_H_
#define SLUICE_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change; appending fields does not bump it. */
#define SLUICE_PLUGIN_ABI_VERSION 1u

/* Name of the one symbol a plugin exports. */
#define SLUICE_PLUGIN_ENTRY_SYMBOL "sluice_plugin_entry"

#if defined(__GNUC__)
#define SLUICE_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define SLUICE_PLUGIN_EXPORT
#endif

typedef enum sluice_plugin_kind {
  SLUICE_KIND_OTHER = 0,
  SLUICE_KIND_EXTRACT = 1,
  SLUICE_KIND_TRANSFORM = 2,
  SLUICE_KIND_JOIN = 3,
  SLUICE_KIND_AGGREGATE = 4,
  SLUICE_KIND_EXPORT = 5
} sluice_plugin_kind;

typedef enum sluice_log_level {
  SLUICE_LOG_DEBUG = 0,
  SLUICE_LOG_INFO = 1,
  SLUICE_LOG_WARN = 2,
  SLUICE_LOG_ERROR = 3
} sluice_log_level;

/* Counters a plugin adds to; the host records them on the attempt and shows them live. */
typedef enum sluice_counter {
  SLUICE_COUNTER_ROWS_IN = 0,
  SLUICE_COUNTER_ROWS_OUT = 1,
  SLUICE_COUNTER_BYTES_OUT = 2
} sluice_counter;

/* Receives one problem. `config_path` is a JSON pointer into the task's configuration
 * ("/delimiter", "/columns/2/type"; "" for the whole configuration or a run-time failure). */
typedef void (*sluice_error_fn)(void* user, const char* config_path, const char* message);

/* Services the host offers a running plugin. */
typedef struct sluice_host_api {
  uint32_t struct_size;
  void* host;
  /* Appends one line to the attempt's log. */
  void (*log)(void* host, int level, const char* message);
  /* Adds `delta` to one of the sluice_counter values. */
  void (*add_counter)(void* host, int counter, int64_t delta);
  /* Replaces this attempt's process with a command (execve), for plugins whose work is to
   * run an external program: it then costs one process instead of two, and the host's
   * signals (timeouts) reach the command directly. `argv` and `env` are NULL-terminated; a
   * command without '/' is looked up in PATH; `env` entries ("NAME=value") are added to the
   * environment, replacing inherited ones; `cwd` may be NULL. From then on the command's
   * exit decides the attempt: code 0 succeeds, another code or a signal fails naming it.
   * Returns only on failure, with the reason in `error` (NUL-terminated, at most
   * `error_size` bytes). Appended in ABI 1: check `struct_size` before calling; the SDK's
   * Context::CanExec() does. */
  int (*exec_command)(void* host, const char* const* argv, const char* const* env,
                      const char* cwd, char* error, size_t error_size);
} sluice_host_api;

/* The output dataset of one upstream task. */
typedef struct sluice_input {
  const char* task_id;
  const char* dataset_path; /* NULL when that task wrote no dataset */
} sluice_input;

/* Everything one attempt of one task needs. */
typedef struct sluice_run_context {
  uint32_t struct_size;
  const char* dag_id;
  const char* run_id;
  const char* task_id;
  uint32_t attempt;           /* 1 for the first attempt */
  const char* config_json;    /* the task's `with:` mapping, templates rendered, as JSON */
  const char* workspace_dir;  /* the run's workspace folder, shared by its tasks */
  const char* output_path;    /* where this task writes its dataset, if it writes one */
  const sluice_input* inputs; /* upstream tasks, in `depends_on` order */
  size_t input_count;
  const sluice_host_api* host;
} sluice_run_context;

/* Collects the command a plugin plans to run (see plan_exec below). Strings are copied. */
typedef struct sluice_exec_plan {
  uint32_t struct_size;
  void* builder;
  void (*add_arg)(void* builder, const char* arg);
  void (*add_env)(void* builder, const char* name_equals_value);
  void (*set_cwd)(void* builder, const char* cwd);
} sluice_exec_plan;

typedef struct sluice_plugin_descriptor {
  uint32_t abi_version; /* SLUICE_PLUGIN_ABI_VERSION the plugin was built against */
  uint32_t struct_size; /* sizeof(sluice_plugin_descriptor) in the plugin's build */
  const char* name;     /* as written in a task's `plugin:`, e.g. "extract.csv" */
  const char* version;  /* the plugin's own version, e.g. "1.0.0" */
  int kind;             /* a sluice_plugin_kind */
  const char* summary;  /* one line for `sluice plugins list` */
  /* JSON Schema (draft 7) of the `with:` mapping; the host checks it before `validate`. */
  const char* config_schema_json;
  /* Checks what the schema cannot (may be NULL). Called at validation time on the
   * configuration as written, templates not yet rendered. Returns 0 when valid; otherwise
   * reports each problem through `on_error` and returns non-zero. */
  int (*validate)(const char* config_json, sluice_error_fn on_error, void* user);
  /* Runs one attempt. Returns 0 on success; otherwise reports why through `on_error` and
   * returns non-zero. */
  int (*run)(const sluice_run_context* context, sluice_error_fn on_error, void* user);
  /* Optional (may be NULL; appended in ABI 1, check struct_size). For plugins whose whole
   * attempt is running one program: describe it instead of running it, and the host starts
   * it directly as the attempt's process — as cheap as ninja starting a command. Returns 1
   * when `plan` holds a command (argv[0] without '/' is looked up in PATH), 0 to have the
   * host call `run` as usual, -1 on an invalid configuration (reported via `on_error`).
   * It runs inside the host's attempt server, not in an attempt's own process, so it must
   * be a pure function of the configuration: no I/O, no global state, nothing that can
   * crash. The command's exit then decides the attempt: 0 succeeds, another code or a
   * signal fails naming it. */
  int (*plan_exec)(const char* config_json, const sluice_exec_plan* plan,
                   sluice_error_fn on_error, void* user);
} sluice_plugin_descriptor;

typedef const sluice_plugin_descriptor* (*sluice_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SLUICE_PLUGIN_H_ */
