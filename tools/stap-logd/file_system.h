// SPDX-License-Identifier: GPL-2.0-or-later
// The file system as the session store sees it: a few calls, behind an interface so that the
// store's rules (naming, links, retention, disk full) are unit-tested against an in-memory twin.
//
// Errors are errno values, not diagnostics: the store decides what an error means (a full disk
// while running is a warning and a retry, an unwritable folder at start is fatal).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sa::logd {

// A file opened for appending.
class AppendFile {
 public:
  virtual ~AppendFile() = default;
  // Writes a prefix of `data` (possibly all of it). Returns the number of bytes written, or -1 with
  // *err set to an errno value when nothing could be written.
  virtual long write(std::string_view data, int* err) = 0;
  // True once the file has no name left (someone removed it, or its folder): what is written to it
  // reaches no reader.
  virtual bool removed() const { return false; }
};

struct DirEntry {
  std::string name;
  uint64_t size = 0;
};

// What the store checks about its folder before trusting it (see SessionStore::open).
struct FolderInfo {
  bool ours = true;    // owned by our effective user
  unsigned owner = 0;  // its owner's uid
  unsigned mode = 0;   // its permission bits
};

// Calls on paths directly in the opened folder are made relative to its descriptor (openat and
// friends, never following a symbolic link in the last component), so a link or a renamed folder
// swapped in by someone else is never followed.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates `dir` and its missing parents with `dir_mode` (masked by the umask), opens it (not
  // through a symbolic link) and keeps it open; new files get `file_mode` (masked by the umask).
  // Fills *info. 0 or an errno value.
  virtual int open_folder(const std::string& dir, unsigned file_mode, unsigned dir_mode,
                          FolderInfo* info) = 0;
  // 0 if a file can be created in `dir`, else an errno value (probes by creating and removing one).
  virtual int check_writable(const std::string& dir) = 0;
  // Creates a new file; fails with EEXIST if it exists (a symbolic link included). `path` is never
  // overwritten.
  virtual std::unique_ptr<AppendFile> create_new(const std::string& path, int* err) = 0;
  // Opens `path` for appending, creating it if missing (used to reopen after logrotate). Refuses
  // what is there unless it is a regular file of ours with no other name, without opening it: a
  // symbolic link (ELOOP), not a regular file (EINVAL), another user's file (EPERM), hard links
  // (EMLINK).
  virtual std::unique_ptr<AppendFile> open_append(const std::string& path, int* err) = 0;
  // Makes `link` a symbolic link to `target`, replacing an existing link atomically (symlink to a
  // temporary name, then rename). 0 or an errno value.
  virtual int replace_symlink(const std::string& target, const std::string& link) = 0;
  // The regular files directly in `dir` (not links, not folders).
  virtual std::vector<DirEntry> list_files(const std::string& dir) = 0;
  virtual int remove(const std::string& path) = 0;
};

// The real thing (POSIX calls).
std::unique_ptr<FileSystem> make_posix_file_system();

// The in-memory twin. Paths are plain strings; folders exist once made. Files are shared strings,
// like inodes: an open AppendFile keeps writing to its file after rename_file() (what logrotate
// does). A capacity (total bytes of all files) simulates a full disk: writes beyond it fail with
// ENOSPC until space is freed or the capacity raised.
class MemFileSystem : public FileSystem {
 public:
  std::map<std::string, std::shared_ptr<std::string>> files;  // path -> content
  std::map<std::string, std::string> symlinks;                // link path -> target
  std::map<std::string, bool> dirs;
  std::map<std::string, bool> read_only_dirs;
  std::map<std::string, FolderInfo> folder_info;  // what open_folder reports (default: ours, 0750)
  std::map<std::string, int>
      refused;  // path -> the errno open_append refuses it with (a swapped file)
  uint64_t capacity = UINT64_MAX;

  int open_folder(const std::string& dir, unsigned file_mode, unsigned dir_mode,
                  FolderInfo* info) override;
  int check_writable(const std::string& dir) override;
  std::unique_ptr<AppendFile> create_new(const std::string& path, int* err) override;
  std::unique_ptr<AppendFile> open_append(const std::string& path, int* err) override;
  int replace_symlink(const std::string& target, const std::string& link) override;
  std::vector<DirEntry> list_files(const std::string& dir) override;
  int remove(const std::string& path) override;

  uint64_t used() const;
  std::string read(const std::string& path) const;  // "" when missing
  void rename_file(const std::string& from, const std::string& to);
};

}  // namespace sa::logd
