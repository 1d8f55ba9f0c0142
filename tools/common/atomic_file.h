// Writing users' files so that they are never half-written.
//
// Every rewrite goes to a temporary file in the same directory, is fsync'ed, then renamed over the
// original (rename is atomic within a file system). Concurrent writers of one file (two editors adding
// probes at once) are serialised with flock() on the file's folder, which the rename does not replace.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "diag.h"

namespace sa {

// Reads a whole file. Returns nullopt and sets *err when it cannot (ENOENT gives Exit::no_input).
std::optional<std::string> read_file(const std::string& path, Diag* err);

// Replaces (or creates) `path` with `content` atomically. The mode of an existing file is kept;
// a new file gets `new_mode` (masked by the umask).
bool write_file_atomic(const std::string& path, const std::string& content, Diag* err,
                       unsigned new_mode = 0644);

// Locks `path`'s folder, hands the file's current content (empty if missing) to `edit`, and writes what
// `edit` left in the string atomically if `edit` returned true. `existed` is false when the file is
// missing or empty. Returns false with *err set on any failure; the old file
// is then untouched. If `edit` returns false without setting *err, nothing is written and the call
// succeeds.
using EditFn = std::function<bool(std::string& content, bool existed, Diag* err)>;
bool edit_file_locked(const std::string& path, const EditFn& edit, Diag* err);

}  // namespace sa
