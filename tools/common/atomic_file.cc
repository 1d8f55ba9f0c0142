#include "atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace sa {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

std::optional<std::string> read_fd(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::optional<std::string> read_file(const std::string& path, Diag* err) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd < 0) {
    int e = errno;
    *err = Diag::error_at(e == ENOENT ? Exit::no_input : Exit::io_error, path, 0,
                          "cannot open: " + errno_text(e));
    return std::nullopt;
  }
  auto data = read_fd(f.fd);
  if (!data) *err = Diag::error_at(Exit::io_error, path, 0, "cannot read: " + errno_text(errno));
  return data;
}

bool write_file_atomic(const std::string& path, const std::string& content, Diag* err,
                       unsigned new_mode) {
  namespace fs = std::filesystem;
  fs::path p(path);
  fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  std::string tmpl = (dir / ("." + p.filename().string() + ".XXXXXX")).string();

  mode_t mode;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode = static_cast<mode_t>(new_mode) & ~mask;
  }

  Fd tmp(::mkstemp(tmpl.data()));
  if (tmp.fd < 0) {
    *err = Diag::error_at(Exit::cant_create, path, 0,
                          "cannot create a temporary file in " + dir.string() + ": " +
                              errno_text(errno));
    return false;
  }
  auto fail = [&](Exit code, const std::string& what) {
    int e = errno;
    ::unlink(tmpl.c_str());
    *err = Diag::error_at(code, path, 0, what + ": " + errno_text(e));
    return false;
  };
  if (!write_all(tmp.fd, content)) return fail(Exit::io_error, "cannot write");
  if (::fchmod(tmp.fd, mode) != 0) return fail(Exit::io_error, "cannot set mode");
  if (::fsync(tmp.fd) != 0) return fail(Exit::io_error, "cannot sync");
  if (::rename(tmpl.c_str(), path.c_str()) != 0) return fail(Exit::cant_create, "cannot replace");
  return true;
}

bool edit_file_locked(const std::string& path, const EditFn& edit, Diag* err) {
  // The lock is taken on the folder, not on the file: the rename replaces the file's inode, so a lock
  // on the file would be lost to whoever waits on the old inode (and they could starve retrying).
  std::filesystem::path p(path);
  std::string dir = p.parent_path().empty() ? "." : p.parent_path().string();
  Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.fd < 0) {
    *err = Diag::error_at(errno == ENOENT ? Exit::cant_create : Exit::io_error, path, 0,
                          "cannot open its folder: " + errno_text(errno));
    return false;
  }
  while (::flock(d.fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    *err = Diag::error_at(Exit::io_error, path, 0, "cannot lock its folder: " + errno_text(errno));
    return false;
  }
  std::string content;
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (f.fd >= 0) {
    auto data = read_fd(f.fd);
    if (!data) {
      *err = Diag::error_at(Exit::io_error, path, 0, "cannot read: " + errno_text(errno));
      return false;
    }
    content = std::move(*data);
  } else if (errno != ENOENT) {
    *err = Diag::error_at(Exit::io_error, path, 0, "cannot open: " + errno_text(errno));
    return false;
  }
  // An empty file counts as missing: there is no preamble in it to keep.
  bool existed = !content.empty();
  Diag edit_err;
  if (!edit(content, existed, &edit_err)) {
    if (edit_err.message.empty()) return true;
    *err = edit_err;
    return false;
  }
  return write_file_atomic(path, content, err);
}

}  // namespace sa
