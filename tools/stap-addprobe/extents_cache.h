// The per-file cache of function maps, so that a repeat pick in an unchanged file never parses (and never
// loads libclang): ${XDG_CACHE_HOME:-~/.cache}/stap-assistant/addprobe/<hash>.json, one file per source
// file. An entry is valid only for the same path, mtime (ns), size and flags (a hash of the compile
// arguments, the main file and the format version); anything else is a miss and is overwritten.
// Entries are written atomically; a corrupt or foreign entry is a miss, never an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clang_index.h"

namespace sa::addprobe {

struct CacheKey {
  std::string path;        // absolute path of the target file
  int64_t mtime_ns = 0;
  int64_t size = 0;
  std::string flags;       // hex hash of the parse request's arguments and main file
};

// The default folder (not created here).
std::string default_cache_dir();

// Builds the key of `req` from the file's stat(); nullopt when the file cannot be stat'ed.
std::optional<CacheKey> cache_key(const ParseRequest& req);

std::optional<FileIndex> cache_load(const std::string& dir, const CacheKey& key);

// Stores an entry (creating `dir`); failures are reported but callers may ignore them.
bool cache_store(const std::string& dir, const CacheKey& key, const FileIndex& idx, Diag* err);

// JSON text of a map, and back (exposed for tests).
std::string index_to_json(const FileIndex& idx);
std::optional<FileIndex> index_from_json(const std::string& text);

}  // namespace sa::addprobe
