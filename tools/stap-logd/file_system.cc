// SPDX-License-Identifier: GPL-2.0-or-later
// POSIX and in-memory implementations of the session store's file system interface.
#include "file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace sa::logd {

namespace {

class PosixAppendFile : public AppendFile {
 public:
  explicit PosixAppendFile(int fd) : fd_(fd) {}
  ~PosixAppendFile() override { ::close(fd_); }
  long write(std::string_view data, int* err) override {
    for (;;) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      *err = errno;
      return -1;
    }
  }
  bool removed() const override {
    struct stat st;
    return ::fstat(fd_, &st) == 0 && st.st_nlink == 0;
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

class PosixFileSystem : public FileSystem {
 public:
  ~PosixFileSystem() override {
    if (dir_fd_ >= 0) ::close(dir_fd_);
  }

  int open_folder(const std::string& dir, unsigned file_mode, unsigned dir_mode,
                  FolderInfo* info) override {
    std::string path;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = dir.find('/', pos + 1);
      path = dir.substr(0, pos);
      if (path.empty()) continue;
      if (::mkdir(path.c_str(), dir_mode) != 0 && errno != EEXIST) return errno;
    }
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno == ELOOP ? ENOTDIR : errno;
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int e = errno;
      ::close(fd);
      return e;
    }
    if (dir_fd_ >= 0) ::close(dir_fd_);
    dir_fd_ = fd;
    dir_ = dir;
    file_mode_ = file_mode;
    info->owner = st.st_uid;
    info->ours = st.st_uid == ::geteuid();
    info->mode = st.st_mode & 07777;
    return 0;
  }

  int check_writable(const std::string& dir) override {
    Where w = where(dir + "/.stap-logd-probe." + std::to_string(::getpid()));
    int fd =
        ::openat(w.fd, w.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    ::close(fd);
    ::unlinkat(w.fd, w.name.c_str(), 0);
    return 0;
  }

  std::unique_ptr<AppendFile> create_new(const std::string& path, int* err) override {
    return open_at(where(path), O_CREAT | O_EXCL, err);
  }

  std::unique_ptr<AppendFile> open_append(const std::string& path, int* err) override {
    Where w = where(path);
    // Look before opening: opening a device node can have effects of its own, a FIFO can block.
    struct stat st;
    if (::fstatat(w.fd, w.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && (*err = refusal(st)) != 0)
      return nullptr;
    auto f = open_at(w, O_CREAT | O_NONBLOCK, err);
    if (!f) return nullptr;
    // What was opened is what was checked (or a new file of ours).
    if (::fstat(f->fd(), &st) != 0 || (*err = refusal(st)) != 0) return nullptr;
    return f;
  }

  int replace_symlink(const std::string& target, const std::string& link) override {
    Where w = where(link);
    std::string tmp = w.name + ".tmp." + std::to_string(::getpid());
    ::unlinkat(w.fd, tmp.c_str(), 0);
    if (::symlinkat(target.c_str(), w.fd, tmp.c_str()) != 0) return errno;
    if (::renameat(w.fd, tmp.c_str(), w.fd, w.name.c_str()) != 0) {
      int e = errno;
      ::unlinkat(w.fd, tmp.c_str(), 0);
      return e;
    }
    return 0;
  }

  std::vector<DirEntry> list_files(const std::string& dir) override {
    std::vector<DirEntry> out;
    int fd = dir == dir_ && dir_fd_ >= 0
                 ? ::openat(dir_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                 : ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return out;
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      return out;
    }
    while (struct dirent* e = ::readdir(d)) {
      struct stat st;
      if (::fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (!S_ISREG(st.st_mode)) continue;
      out.push_back({e->d_name, static_cast<uint64_t>(st.st_size)});
    }
    ::closedir(d);
    return out;
  }

  int remove(const std::string& path) override {
    Where w = where(path);
    return ::unlinkat(w.fd, w.name.c_str(), 0) == 0 ? 0 : errno;
  }

 private:
  // A path as a folder descriptor and a name in it: the open folder's descriptor for its own files.
  struct Where {
    int fd;
    std::string name;
  };
  Where where(const std::string& path) const {
    if (dir_fd_ >= 0 && parent_of(path) == dir_) return {dir_fd_, path.substr(dir_.size() + 1)};
    return {AT_FDCWD, path};
  }

  std::unique_ptr<PosixAppendFile> open_at(const Where& w, int flags, int* err) {
    int fd = ::openat(w.fd, w.name.c_str(), flags | O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
                      static_cast<mode_t>(file_mode_));
    if (fd < 0) {
      *err = errno;
      return nullptr;
    }
    return std::make_unique<PosixAppendFile>(fd);
  }

  static int refusal(const struct stat& st) {
    if (S_ISLNK(st.st_mode)) return ELOOP;
    if (!S_ISREG(st.st_mode)) return EINVAL;
    if (st.st_uid != ::geteuid()) return EPERM;
    if (st.st_nlink > 1) return EMLINK;
    return 0;
  }

  std::string dir_;
  int dir_fd_ = -1;
  unsigned file_mode_ = 0640;
};

class MemAppendFile : public AppendFile {
 public:
  MemAppendFile(MemFileSystem* fs, std::shared_ptr<std::string> content)
      : fs_(fs), content_(std::move(content)) {}
  long write(std::string_view data, int* err) override {
    uint64_t used = fs_->used();
    uint64_t room = used >= fs_->capacity ? 0 : fs_->capacity - used;
    size_t n = data.size() < room ? data.size() : static_cast<size_t>(room);
    if (n == 0 && !data.empty()) {
      *err = ENOSPC;
      return -1;
    }
    content_->append(data.substr(0, n));
    return static_cast<long>(n);
  }
  bool removed() const override {
    for (const auto& [path, content] : fs_->files)
      if (content == content_) return false;
    return true;
  }

 private:
  MemFileSystem* fs_;
  std::shared_ptr<std::string> content_;
};

}  // namespace

std::unique_ptr<FileSystem> make_posix_file_system() { return std::make_unique<PosixFileSystem>(); }

int MemFileSystem::open_folder(const std::string& dir, unsigned, unsigned dir_mode,
                               FolderInfo* info) {
  if (read_only_dirs.count(parent_of(dir)) && !dirs.count(dir)) return EACCES;
  dirs[dir] = true;
  auto it = folder_info.find(dir);
  *info = it != folder_info.end() ? it->second : FolderInfo{true, 0, dir_mode};
  return 0;
}

int MemFileSystem::check_writable(const std::string& dir) {
  if (!dirs.count(dir)) return ENOENT;
  return read_only_dirs.count(dir) ? EACCES : 0;
}

std::unique_ptr<AppendFile> MemFileSystem::create_new(const std::string& path, int* err) {
  std::string dir = parent_of(path);
  if (!dirs.count(dir)) {
    *err = ENOENT;
    return nullptr;
  }
  if (read_only_dirs.count(dir)) {
    *err = EACCES;
    return nullptr;
  }
  if (files.count(path) || symlinks.count(path)) {
    *err = EEXIST;
    return nullptr;
  }
  auto content = std::make_shared<std::string>();
  files[path] = content;
  return std::make_unique<MemAppendFile>(this, content);
}

std::unique_ptr<AppendFile> MemFileSystem::open_append(const std::string& path, int* err) {
  if (auto r = refused.find(path); r != refused.end()) {
    *err = r->second;
    return nullptr;
  }
  if (symlinks.count(path)) {
    *err = ELOOP;
    return nullptr;
  }
  auto it = files.find(path);
  if (it != files.end()) return std::make_unique<MemAppendFile>(this, it->second);
  return create_new(path, err);
}

int MemFileSystem::replace_symlink(const std::string& target, const std::string& link) {
  if (read_only_dirs.count(parent_of(link))) return EACCES;
  if (files.count(link)) return EISDIR;  // a regular file is in the way; rename would replace it
  symlinks[link] = target;
  return 0;
}

std::vector<DirEntry> MemFileSystem::list_files(const std::string& dir) {
  std::vector<DirEntry> out;
  for (const auto& [path, content] : files)
    if (parent_of(path) == dir) out.push_back({path.substr(dir.size() + 1), content->size()});
  return out;
}

int MemFileSystem::remove(const std::string& path) {
  if (files.erase(path) || symlinks.erase(path)) return 0;
  return ENOENT;
}

uint64_t MemFileSystem::used() const {
  uint64_t total = 0;
  for (const auto& [path, content] : files) total += content->size();
  return total;
}

std::string MemFileSystem::read(const std::string& path) const {
  auto it = files.find(path);
  return it == files.end() ? std::string() : *it->second;
}

void MemFileSystem::rename_file(const std::string& from, const std::string& to) {
  auto it = files.find(from);
  if (it == files.end()) return;
  files[to] = it->second;
  files.erase(from);
}

}  // namespace sa::logd
