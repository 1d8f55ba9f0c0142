// SPDX-License-Identifier: GPL-2.0-or-later
// Writing users' files so that they are never half-written, and never writing what is not ours to
// write. Every tool that writes a file a user named (stap-addprobe's script, stap-preamble -o and
// --regenerate, stap-addprobe's extents cache) goes through here. The rules (documented in the man
// pages, FILES SAFETY):
//
//  - A rewrite goes to a temporary file in the target's folder, is fsync'ed, then renamed over the
//    target (git's lockfile discipline). Writers of one folder are serialised with flock() on the
//    folder (the rename replaces the file's inode, so a lock on the file would be lost).
//  - A symbolic link is written through: the chain is resolved and its final target is replaced, so
//    the link stays a link. A link owned by another user in a sticky world-writable folder (/tmp)
//    is refused, as the kernel's fs.protected_symlinks would (we resolve links ourselves, so it
//    cannot).
//  - Only a regular file or a missing one is written. A device node, FIFO, socket or folder is
//  refused
//    (Exit::cant_create) without being opened for writing, so a FIFO never blocks us.
//  - A file with several hard links is refused: replacing it would silently cut it from its other
//    names, and rewriting it in place could leave it half-written.
//  - A file we may not write is refused, even as root (root: no write bit set at all, e.g. 0444).
//  - The replacement keeps the owner, group and mode of the file it replaces; if the owner or group
//    cannot be kept (not root), the write is refused rather than changing them.
//  - Temporary files are named `.NAME.stap-tmp.XXXXXX`. They are removed on error, on SIGINT,
//  SIGTERM,
//    SIGHUP, SIGQUIT and SIGPIPE while a write is under way, and a stale one left by a killed run
//    (SIGKILL, power loss) is removed under the folder lock by the next write of the same file.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "diag.h"

namespace sa {

// Reads a whole file. Returns nullopt and sets *err when it cannot (ENOENT gives Exit::no_input).
std::optional<std::string> read_file(const std::string& path, Diag* err);

// Replaces (or creates) `path` with `content` atomically, by the rules above. A new file gets
// `new_mode` (masked by the umask).
bool write_file_atomic(const std::string& path, const std::string& content, Diag* err,
                       unsigned new_mode = 0644);

// Creates `path` with `content`, all or nothing, only if no file of that name exists (not even a
// symbolic link or a device node): the content is written to a temporary file and hard-linked to
// the name, which fails atomically when the name exists. Returns `exists` in that case (*err not
// set).
enum class CreateResult { created, exists, failed };
CreateResult create_file_new(const std::string& path, const std::string& content, Diag* err,
                             unsigned new_mode = 0644);

// Locks `path`'s folder, hands the file's current content (empty if missing) to `edit`, and writes
// what `edit` left in the string atomically if `edit` returned true. `existed` is false when the
// file is missing or empty. Returns false with *err set on any failure; the old file is then
// untouched. If `edit` returns false without setting *err, nothing is written and the call
// succeeds.
using EditFn = std::function<bool(std::string& content, bool existed, Diag* err)>;
bool edit_file_locked(const std::string& path, const EditFn& edit, Diag* err);

// The infix of temporary file names (".NAME" + temp_file_infix + "XXXXXX"), for tests.
extern const char* const temp_file_infix;

}  // namespace sa
