// The file patterns of `trigger: {files: PATTERN}`: which ones are accepted, how a relative
// one is resolved, and which file names match.
//
// Wildcards (`*`, `?`, `[...]`) may appear only in the last component, so a pattern always
// names one folder to watch. Matching follows fnmatch(3) with FNM_PERIOD and FNM_NOESCAPE: a
// leading '.' must be matched explicitly (so `*.csv` skips `.orders.csv.tmp`-style partial
// files), and '\' is an ordinary character (write `[*]` to match a '*').
#ifndef SLUICE_SCHEDULER_FILE_GLOB_H_
#define SLUICE_SCHEDULER_FILE_GLOB_H_

#include <optional>
#include <string>
#include <string_view>

namespace sluice {

/// Why a pattern is refused, in the words of a DAG file diagnostic.
struct FileGlobProblem {
  std::string what;        // "the folder 'in*' has a wildcard"
  std::string how_to_fix;  // "only the file name ... may contain ..."
};

/// Checks `pattern` as written in the DAG file: not empty, no `**`, no wildcard before the
/// last '/', ends with a file name, every '[' closed. Returns nullopt when it is usable.
std::optional<FileGlobProblem> CheckFileGlob(std::string_view pattern);

/// A checked pattern split into the folder to watch and the glob its files' names must match.
struct ResolvedFileGlob {
  std::string pattern;    // directory + "/" + name_glob, lexically normalised
  std::string directory;  // "." when neither the pattern nor the DAG file names a folder
  std::string name_glob;
};

/// Resolves `pattern` against the folder holding `dag_file` (an absolute pattern stays as it
/// is), lexically: no file system access, symbolic links are not followed. The result is
/// absolute when `dag_file` or `pattern` is. REQUIRES: !CheckFileGlob(pattern).
ResolvedFileGlob ResolveFileGlob(std::string_view dag_file, std::string_view pattern);

/// Whether the file name `file_name` (one path component, no '/') matches `name_glob`.
bool MatchesFileGlob(const std::string& name_glob, const std::string& file_name);

}  // namespace sluice

#endif  // SLUICE_SCHEDULER_FILE_GLOB_H_
