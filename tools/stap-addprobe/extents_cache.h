// SPDX-License-Identifier: GPL-2.0-or-later
// The per-file cache of function maps, so that a repeat pick in an unchanged file never parses (and
// never loads libclang): ${XDG_CACHE_HOME:-~/.cache}/stap-assistant/addprobe/<hash>.json, one file
// per source file. An entry is valid only for the same path, mtime (ns), size and flags; anything
// else is a miss and is overwritten. Entries are written atomically; a corrupt or foreign entry is
// a miss, never an error.
//
// "flags" is a hash of everything the compile flags and the build facts are computed from (the tree
// and build folders, the .config, compile_commands.json, and the Makefile/Kbuild of every folder
// from the file's up to the tree's root, each by mtime and size), not of the flags themselves:
// computing the flags means reading Kbuild Makefiles and the .config, which costs more than the
// whole cached pick may (15 ms). The entry stores the build facts next to the function map.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clang_index.h"
#include "kernel_tree.h"

namespace sa::addprobe {

struct CacheKey {
  std::string path;  // absolute path of the target file
  int64_t mtime_ns = 0;
  int64_t size = 0;
  std::string flags;  // hex hash of what decides the flags (see above)
};

// What the symbol tables said about this file's functions, so that a cached pick need not load
// System.map or vmlinux (~150 ms). Valid for one `fingerprint` of the symbol files
// (symbols_fingerprint).
struct SymbolFacts {
  std::string fingerprint;
  std::map<std::string, bool> knows;  // module ("" = vmlinux) -> table covers it
  struct Name {
    bool present = false;
    std::string section;
    std::string part;  // SymbolTable::part_clone
  };
  std::map<std::string, Name> names;  // "module\nname" -> facts
};

struct CacheEntry {
  ktree::BuildInfo build;
  FileIndex index;
  SymbolFacts symbols;
};

// stat() text of the files ktree::load_symbols may read for this tree and build.
std::string symbols_fingerprint(const ktree::KernelTree& tree, const std::string& build_dir);

// The default folder (not created here).
std::string default_cache_dir();

// The text whose hash is CacheKey::flags for `rel_file` of `tree` (stat()s, reads nothing).
std::string flags_context(const ktree::KernelTree& tree, const std::string& build_dir,
                          const std::string& rel_file);

// Builds the key of `file` from its stat() and `flags_text`; nullopt when it cannot be stat'ed.
std::optional<CacheKey> cache_key(const std::string& file, const std::string& flags_text);

std::optional<CacheEntry> cache_load(const std::string& dir, const CacheKey& key);

// Stores an entry (creating `dir`); failures are reported but callers may ignore them.
bool cache_store(const std::string& dir, const CacheKey& key, const CacheEntry& entry, Diag* err);

// JSON text of a map, and back (exposed for tests).
std::string index_to_json(const FileIndex& idx);
std::optional<FileIndex> index_from_json(const std::string& text);

}  // namespace sa::addprobe
