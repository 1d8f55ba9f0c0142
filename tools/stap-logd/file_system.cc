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

 private:
  int fd_;
};

std::unique_ptr<AppendFile> open_fd(const std::string& path, int flags, int* err) {
  int fd = ::open(path.c_str(), flags | O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = errno;
    return nullptr;
  }
  return std::make_unique<PosixAppendFile>(fd);
}

class PosixFileSystem : public FileSystem {
 public:
  int make_dirs(const std::string& dir) override {
    std::string path;
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = dir.find('/', pos + 1);
      path = dir.substr(0, pos);
      if (path.empty()) continue;
      if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return errno;
    }
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
  }

  int check_writable(const std::string& dir) override {
    std::string probe = dir + "/.stap-logd-probe." + std::to_string(::getpid());
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno;
    ::close(fd);
    ::unlink(probe.c_str());
    return 0;
  }

  std::unique_ptr<AppendFile> create_new(const std::string& path, int* err) override {
    return open_fd(path, O_EXCL, err);
  }

  std::unique_ptr<AppendFile> open_append(const std::string& path, int* err) override {
    return open_fd(path, 0, err);
  }

  int replace_symlink(const std::string& target, const std::string& link) override {
    std::string tmp = link + ".tmp." + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    if (::symlink(target.c_str(), tmp.c_str()) != 0) return errno;
    if (::rename(tmp.c_str(), link.c_str()) != 0) {
      int e = errno;
      ::unlink(tmp.c_str());
      return e;
    }
    return 0;
  }

  std::vector<DirEntry> list_files(const std::string& dir) override {
    std::vector<DirEntry> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (struct dirent* e = ::readdir(d)) {
      struct stat st;
      if (::fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (!S_ISREG(st.st_mode)) continue;
      out.push_back({e->d_name, static_cast<uint64_t>(st.st_size)});
    }
    ::closedir(d);
    return out;
  }

  int remove(const std::string& path) override { return ::unlink(path.c_str()) == 0 ? 0 : errno; }
};

std::string parent_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

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

int MemFileSystem::make_dirs(const std::string& dir) {
  if (read_only_dirs.count(parent_of(dir)) && !dirs.count(dir)) return EACCES;
  dirs[dir] = true;
  return 0;
}

int MemFileSystem::check_writable(const std::string& dir) {
  if (!dirs.count(dir)) return ENOENT;
  return read_only_dirs.count(dir) ? EACCES : 0;
}

std::unique_ptr<AppendFile> MemFileSystem::create_new(const std::string& path, int* err) {
  std::string dir = parent_of(path);
  if (!dirs.count(dir)) { *err = ENOENT; return nullptr; }
  if (read_only_dirs.count(dir)) { *err = EACCES; return nullptr; }
  if (files.count(path) || symlinks.count(path)) { *err = EEXIST; return nullptr; }
  auto content = std::make_shared<std::string>();
  files[path] = content;
  return std::make_unique<MemAppendFile>(this, content);
}

std::unique_ptr<AppendFile> MemFileSystem::open_append(const std::string& path, int* err) {
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
