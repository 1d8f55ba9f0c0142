// SPDX-License-Identifier: GPL-2.0-or-later
// Safe writes of users' files; the rules are in atomic_file.h.
#include "atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <memory>

namespace sa {

const char* const temp_file_infix = ".stap-tmp.";

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

std::string folder_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// --- Temporary files: removed on error, on the usual termination signals, and when stale. ---

// The temporary file being written, for the signal handler (async-signal-safe: a fixed buffer).
volatile sig_atomic_t g_temp_set = 0;
char g_temp_path[PATH_MAX];
const int k_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

extern "C" void remove_temp_and_die(int sig) {
  if (g_temp_set) ::unlink(g_temp_path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // delivered with the default action when the handler returns
}

// Owns one temporary file: registered for the signal handler while it lives, removed unless kept.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {
    if (path_.size() < sizeof g_temp_path) {
      std::memcpy(g_temp_path, path_.c_str(), path_.size() + 1);
      g_temp_set = 1;
    }
    struct sigaction sa {};
    sa.sa_handler = remove_temp_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(k_signals); ++i) {
      ::sigaction(k_signals[i], nullptr, &old_[i]);
      if (old_[i].sa_handler != SIG_IGN) ::sigaction(k_signals[i], &sa, nullptr);
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!kept_) ::unlink(path_.c_str());
    g_temp_set = 0;
    for (size_t i = 0; i < std::size(k_signals); ++i) ::sigaction(k_signals[i], &old_[i], nullptr);
  }
  void keep() { kept_ = true; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool kept_ = false;
  struct sigaction old_[std::size(k_signals)];
};

// Removes `.NAME.stap-tmp.XXXXXX` files left in the folder by a killed run. Called with the folder
// locked, so no live writer of ours owns one.
void remove_stale_temps(int dir_fd, const std::string& name) {
  std::string prefix = "." + name + temp_file_infix;
  int fd = ::dup(dir_fd);
  if (fd < 0) return;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return;
  }
  ::rewinddir(d);
  while (struct dirent* e = ::readdir(d)) {
    std::string entry = e->d_name;
    if (entry.size() != prefix.size() + 6 || entry.compare(0, prefix.size(), prefix) != 0) continue;
    struct stat st;
    if (::fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
      ::unlinkat(dir_fd, e->d_name, 0);
  }
  ::closedir(d);
}

// --- The target: the symlink chain resolved, and what is there. ---

struct Target {
  std::string path;  // the final target (== the user's path when it is no link)
  bool exists = false;
  struct stat st {};
};

// The kernel's fs.protected_symlinks rule: in a sticky world-writable folder, follow a link only if
// we own it or the folder's owner does.
bool may_follow(const std::string& link, const struct stat& link_st) {
  struct stat dir_st;
  if (::stat(folder_of(link).c_str(), &dir_st) != 0) return false;
  bool sticky_public = (dir_st.st_mode & S_ISVTX) && (dir_st.st_mode & S_IWOTH);
  return !sticky_public || link_st.st_uid == ::geteuid() || link_st.st_uid == dir_st.st_uid;
}

bool resolve(const std::string& path, Target* t, Diag* err) {
  std::string p = path;
  for (int hops = 0;; ++hops) {
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0) {
      if (errno != ENOENT) {
        *err = Diag::error_at(Exit::cant_create, path, 0,
                              "cannot look at " + p + ": " + errno_text(errno));
        return false;
      }
      t->exists = false;
      break;
    }
    if (!S_ISLNK(st.st_mode)) {
      t->exists = true;
      t->st = st;
      break;
    }
    if (hops == 40) {
      *err = Diag::error_at(Exit::cant_create, path, 0, "too many levels of symbolic links");
      return false;
    }
    if (!may_follow(p, st)) {
      *err = Diag::error_at(
          Exit::cant_create, path, 0,
          "refusing to follow " + p +
              ": a symbolic link owned by another user in a sticky world-writable folder");
      return false;
    }
    char buf[PATH_MAX];
    ssize_t n = ::readlink(p.c_str(), buf, sizeof buf - 1);
    if (n < 0) {
      *err = Diag::error_at(Exit::cant_create, path, 0,
                            "cannot read link " + p + ": " + errno_text(errno));
      return false;
    }
    std::string to(buf, static_cast<size_t>(n));
    p = to.front() == '/' ? to : folder_of(p) + "/" + to;
  }
  t->path = p;
  return true;
}

// Whether the target may be replaced: missing, or a regular file with one link that we may write.
bool check_replaceable(const std::string& path, const Target& t, Diag* err) {
  if (!t.exists) return true;
  std::string what = t.path == path ? "" : " (its target " + t.path + ")";
  if (!S_ISREG(t.st.st_mode)) {
    *err = Diag::error_at(
        Exit::cant_create, path, 0,
        kind_of(t.st.st_mode) + what + " is not a regular file; refusing to replace it");
    return false;
  }
  if (t.st.st_nlink > 1) {
    *err = Diag::error_at(
        Exit::cant_create, path, 0,
        "file" + what + " has " + std::to_string(t.st.st_nlink) +
            " hard links; refusing to replace it (its other names would keep the old text)");
    err->note("give it its own copy first (cp F F.new && mv F.new F), or write to another file");
    return false;
  }
  bool writable = ::geteuid() == 0 ? (t.st.st_mode & 0222) != 0
                                   : ::faccessat(AT_FDCWD, t.path.c_str(), W_OK, AT_EACCESS) == 0;
  if (!writable) {
    *err = Diag::error_at(Exit::cant_create, path, 0,
                          "file" + what + " is not writable (mode " + octal(t.st.st_mode) +
                              "); refusing to replace it");
    err->note("make it writable (chmod u+w) if it should change");
    return false;
  }
  return true;
}

// Holds an exclusive flock() on a folder.
class FolderLock {
 public:
  bool lock(const std::string& path, const std::string& folder, Diag* err) {
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) {
      *err = Diag::error_at(errno == ENOENT ? Exit::cant_create : Exit::io_error, path, 0,
                            "cannot create a file in " + folder + ": " + errno_text(errno));
      return false;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      *err =
          Diag::error_at(Exit::io_error, path, 0, "cannot lock its folder: " + errno_text(errno));
      return false;
    }
    return true;
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Resolves and checks `path`, then locks the target's folder and checks again (the first check
// refuses a device node without touching its folder; the second is the one that holds).
bool lock_target(const std::string& path, Target* t, FolderLock* lock, Diag* err) {
  if (!resolve(path, t, err) || !check_replaceable(path, *t, err)) return false;
  if (!lock->lock(path, folder_of(t->path), err)) return false;
  return resolve(path, t, err) && check_replaceable(path, *t, err);
}

// Writes `content` into a new temporary file beside `target`, in the locked folder. The file gets
// the owner, group and mode of `like` when given, else `new_mode` masked by the umask.
std::unique_ptr<TempFile> write_temp(const std::string& path, const std::string& target, int dir_fd,
                                     const std::string& content, const struct stat* like,
                                     unsigned new_mode, Diag* err) {
  remove_stale_temps(dir_fd, name_of(target));
  std::string tmpl = folder_of(target) + "/." + name_of(target) + temp_file_infix + "XXXXXX";
  // The termination signals wait while the file exists but its handler is not yet installed: a
  // signal in that window would leave the file behind.
  sigset_t block, before;
  sigemptyset(&block);
  for (int sig : k_signals) sigaddset(&block, sig);
  ::pthread_sigmask(SIG_BLOCK, &block, &before);
  int raw = ::mkostemp(tmpl.data(), O_CLOEXEC);
  int saved_errno = errno;
  std::unique_ptr<TempFile> tmp = raw < 0 ? nullptr : std::make_unique<TempFile>(tmpl);
  ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
  if (raw < 0) {
    *err = Diag::error_at(
        Exit::cant_create, path, 0,
        "cannot create a temporary file in " + folder_of(target) + ": " + errno_text(saved_errno));
    return nullptr;
  }
  Fd fd(raw);
  auto fail = [&](Exit code, const std::string& what) {
    *err = Diag::error_at(code, path, 0, what + ": " + errno_text(errno));
    return nullptr;
  };
  if (!write_all(fd.fd, content)) return fail(Exit::io_error, "cannot write");
  mode_t mode;
  if (like) {
    struct stat mine;
    if (::fstat(fd.fd, &mine) != 0) return fail(Exit::io_error, "cannot stat the temporary file");
    if ((mine.st_uid != like->st_uid || mine.st_gid != like->st_gid) &&
        ::fchown(fd.fd, like->st_uid, like->st_gid) != 0) {
      int e = errno;
      *err = Diag::error_at(Exit::cant_create, path, 0,
                            "cannot keep its owner and group (uid " + std::to_string(like->st_uid) +
                                ", gid " + std::to_string(like->st_gid) + "): " + errno_text(e) +
                                "; refusing to replace it");
      return nullptr;
    }
    mode = like->st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode = static_cast<mode_t>(new_mode) & ~mask;
  }
  // After fchown, which clears set-user-ID and set-group-ID bits.
  if (::fchmod(fd.fd, mode) != 0) return fail(Exit::io_error, "cannot set mode");
  if (::fsync(fd.fd) != 0) return fail(Exit::io_error, "cannot sync");
  return tmp;
}

bool replace_locked(const std::string& path, const Target& t, int dir_fd,
                    const std::string& content, unsigned new_mode, Diag* err) {
  auto tmp = write_temp(path, t.path, dir_fd, content, t.exists ? &t.st : nullptr, new_mode, err);
  if (!tmp) return false;
  if (::rename(tmp->path().c_str(), t.path.c_str()) != 0) {
    *err = Diag::error_at(Exit::cant_create, path, 0, "cannot replace: " + errno_text(errno));
    return false;
  }
  tmp->keep();
  ::fsync(dir_fd);  // the rename itself; a failure here loses nothing already written
  return true;
}

}  // namespace

std::optional<std::string> read_file(const std::string& path, Diag* err) {
  // O_NONBLOCK so that opening a FIFO nobody writes to does not hang; blocking again after it, so a
  // pipe with a writer (--template <(...)) is read to its end.
  Fd f(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (f.fd < 0) {
    int e = errno;
    *err = Diag::error_at(e == ENOENT ? Exit::no_input : Exit::io_error, path, 0,
                          "cannot open: " + errno_text(e));
    return std::nullopt;
  }
  ::fcntl(f.fd, F_SETFL, ::fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
  auto data = read_fd(f.fd);
  if (!data) *err = Diag::error_at(Exit::io_error, path, 0, "cannot read: " + errno_text(errno));
  return data;
}

bool write_file_atomic(const std::string& path, const std::string& content, Diag* err,
                       unsigned new_mode) {
  Target t;
  FolderLock lock;
  if (!lock_target(path, &t, &lock, err)) return false;
  return replace_locked(path, t, lock.fd(), content, new_mode, err);
}

CreateResult create_file_new(const std::string& path, const std::string& content, Diag* err,
                             unsigned new_mode) {
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return CreateResult::exists;
  FolderLock lock;
  if (!lock.lock(path, folder_of(path), err)) return CreateResult::failed;
  auto tmp = write_temp(path, path, lock.fd(), content, nullptr, new_mode, err);
  if (!tmp) return CreateResult::failed;
  // link() never follows or replaces what is at `path`, whatever it is.
  if (::link(tmp->path().c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) return CreateResult::exists;
    *err = Diag::error_at(Exit::cant_create, path, 0, "cannot create: " + errno_text(errno));
    return CreateResult::failed;
  }
  ::fsync(lock.fd());
  return CreateResult::created;
}

bool edit_file_locked(const std::string& path, const EditFn& edit, Diag* err) {
  Target t;
  FolderLock lock;
  if (!lock_target(path, &t, &lock, err)) return false;
  std::string content;
  if (t.exists) {
    // O_NONBLOCK and O_NOFOLLOW: whatever replaced the checked file since cannot make us block or
    // follow a link; fstat then proves it is still the regular file we checked.
    Fd f(::open(t.path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC));
    struct stat st;
    if (f.fd < 0 || ::fstat(f.fd, &st) != 0) {
      *err = Diag::error_at(Exit::io_error, path, 0, "cannot open: " + errno_text(errno));
      return false;
    }
    if (st.st_ino != t.st.st_ino || st.st_dev != t.st.st_dev) {
      *err = Diag::error_at(Exit::cant_create, path, 0,
                            "file changed while it was checked; not writing it");
      return false;
    }
    auto data = read_fd(f.fd);
    if (!data) {
      *err = Diag::error_at(Exit::io_error, path, 0, "cannot read: " + errno_text(errno));
      return false;
    }
    content = std::move(*data);
  }
  // An empty file counts as missing: there is no preamble in it to keep.
  bool existed = !content.empty();
  Diag edit_err;
  if (!edit(content, existed, &edit_err)) {
    if (edit_err.message.empty()) return true;
    *err = edit_err;
    return false;
  }
  return replace_locked(path, t, lock.fd(), content, 0644, err);
}

}  // namespace sa
