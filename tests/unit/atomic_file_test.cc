// SPDX-License-Identifier: GPL-2.0-or-later
// Users' files are never half-written: edits go through a locked temp-file-and-rename.
#include "atomic_file.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "sa-atomic.XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const char* name) const { return (path / name).string(); }
};

std::string slurp(const std::string& p) {
  sa::Diag err;
  auto s = sa::read_file(p, &err);
  REQUIRE(s);
  return *s;
}
}  // namespace

TEST_CASE("write_file_atomic creates, replaces and keeps the mode") {
  TempDir dir;
  std::string f = dir.file("tracer.stp");
  sa::Diag err;
  REQUIRE(sa::write_file_atomic(f, "one\n", &err));
  CHECK(slurp(f) == "one\n");
  ::chmod(f.c_str(), 0750);
  REQUIRE(sa::write_file_atomic(f, "two\n", &err));
  CHECK(slurp(f) == "two\n");
  struct stat st;
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0750);
  // No temporary file is left behind.
  int entries = 0;
  for (auto& e : fs::directory_iterator(dir.path)) (void)e, ++entries;
  CHECK(entries == 1);
}

TEST_CASE("write_file_atomic into a missing folder fails and says where") {
  TempDir dir;
  sa::Diag err;
  CHECK_FALSE(sa::write_file_atomic(dir.file("nope/tracer.stp"), "x", &err));
  CHECK(err.exit == sa::Exit::cant_create);
  CHECK(err.file == dir.file("nope/tracer.stp"));
}

TEST_CASE("read_file of a missing file is no_input") {
  TempDir dir;
  sa::Diag err;
  CHECK_FALSE(sa::read_file(dir.file("missing"), &err));
  CHECK(err.exit == sa::Exit::no_input);
}

TEST_CASE("edit_file_locked: existed flag, no write on false, error leaves the file intact") {
  TempDir dir;
  std::string f = dir.file("s.stp");
  sa::Diag err;
  bool saw_existed = true;
  REQUIRE(sa::edit_file_locked(
      f,
      [&](std::string& c, bool existed, sa::Diag*) {
        saw_existed = existed;
        c = "preamble\n";
        return true;
      },
      &err));
  CHECK_FALSE(saw_existed);
  CHECK(slurp(f) == "preamble\n");

  REQUIRE(sa::edit_file_locked(
      f,
      [&](std::string& c, bool existed, sa::Diag*) {
        saw_existed = existed;
        c += "more\n";
        return false;  // nothing to do
      },
      &err));
  CHECK(saw_existed);
  CHECK(slurp(f) == "preamble\n");

  CHECK_FALSE(sa::edit_file_locked(
      f,
      [&](std::string& c, bool, sa::Diag* e) {
        c = "garbage";
        *e = sa::Diag::error(sa::Exit::data_error, "refused");
        return false;
      },
      &err));
  CHECK(err.message == "refused");
  CHECK(slurp(f) == "preamble\n");
}

TEST_CASE("edit_file_locked: a failed edit of a new file leaves no empty file behind") {
  TempDir dir;
  std::string f = dir.file("new.stp");
  sa::Diag err;
  CHECK_FALSE(sa::edit_file_locked(
      f,
      [&](std::string&, bool, sa::Diag* e) {
        *e = sa::Diag::error(sa::Exit::data_error, "bad location");
        return false;
      },
      &err));
  CHECK_FALSE(fs::exists(f));
}

TEST_CASE("edit_file_locked: concurrent appenders lose nothing") {
  TempDir dir;
  std::string f = dir.file("shared.stp");
  const int kProcs = 4, kEach = 50;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      for (int i = 0; i < kEach; ++i) {
        sa::Diag e;
        std::string line = "probe " + std::to_string(p) + "." + std::to_string(i) + "\n";
        if (!sa::edit_file_locked(
                f,
                [&](std::string& c, bool, sa::Diag*) {
                  c += line;
                  return true;
                },
                &e)) {
          fprintf(stderr, "child: %s\n", e.message.c_str());
          ::_exit(1);
        }
      }
      ::_exit(0);
    }
  }
  for (int p = 0; p < kProcs; ++p) {
    int status = 0;
    ::wait(&status);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::string all = slurp(f);
  int lines = 0;
  for (char ch : all) lines += ch == '\n';
  CHECK(lines == kProcs * kEach);
  for (int p = 0; p < kProcs; ++p)
    for (int i = 0; i < kEach; ++i)
      CHECK(all.find("probe " + std::to_string(p) + "." + std::to_string(i) + "\n") !=
            std::string::npos);
}

// --- What is not a regular file we may write is refused (issue #12). Device nodes are private ones
// made with mknod in the test's folder, never the real /dev. ---

namespace {
struct stat lstat_of(const std::string& p) {
  struct stat st {};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st;
}

bool write_x(const std::string& p, sa::Diag* err) { return sa::write_file_atomic(p, "x\n", err); }

bool edit_x(const std::string& p, sa::Diag* err) {
  return sa::edit_file_locked(
      p,
      [](std::string& c, bool, sa::Diag*) {
        c += "x\n";
        return true;
      },
      err);
}

int entries_in(const fs::path& dir) {
  int n = 0;
  for (auto& e : fs::directory_iterator(dir)) (void)e, ++n;
  return n;
}
}  // namespace

TEST_CASE("a device node is refused, not replaced") {
  if (::geteuid() != 0) return;  // mknod of a character device needs root
  TempDir dir;
  std::string node = dir.file("null");
  REQUIRE(::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  for (auto write : {write_x, edit_x}) {
    sa::Diag err;
    CHECK_FALSE(write(node, &err));
    CHECK(err.exit == sa::Exit::cant_create);
    CHECK(err.message == "a character device is not a regular file; refusing to replace it");
    CHECK(S_ISCHR(lstat_of(node).st_mode));
  }
  CHECK(entries_in(dir.path) == 1);
}

TEST_CASE("a FIFO, a socket and a folder are refused without blocking") {
  TempDir dir;
  std::string fifo = dir.file("fifo"), sub = dir.file("sub");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
  for (auto write : {write_x, edit_x}) {
    sa::Diag err;
    CHECK_FALSE(write(fifo, &err));  // would block forever if the FIFO were opened
    CHECK(err.message == "a FIFO is not a regular file; refusing to replace it");
    CHECK(S_ISFIFO(lstat_of(fifo).st_mode));
    CHECK_FALSE(write(sub, &err));
    CHECK(err.message == "a folder is not a regular file; refusing to replace it");
    CHECK(err.exit == sa::Exit::cant_create);
  }
}

TEST_CASE("a symbolic link is written through: the target changes, the link stays") {
  TempDir dir;
  fs::create_directory(dir.path / "real");
  std::string target = dir.file("real/t.stp"), link = dir.file("t.stp");
  {
    sa::Diag err;
    REQUIRE(sa::write_file_atomic(target, "old\n", &err));
  }
  ::chmod(target.c_str(), 0600);
  REQUIRE(::symlink("real/t.stp", link.c_str()) == 0);  // relative to the link's folder
  sa::Diag err;
  REQUIRE(edit_x(link, &err));
  CHECK(S_ISLNK(lstat_of(link).st_mode));
  CHECK(slurp(target) == "old\nx\n");
  CHECK((lstat_of(target).st_mode & 07777) == 0600);
  CHECK(entries_in(dir.path / "real") == 1);

  // A dangling link creates its target, as git does.
  std::string dangling = dir.file("d.stp");
  REQUIRE(::symlink("real/new.stp", dangling.c_str()) == 0);
  REQUIRE(write_x(dangling, &err));
  CHECK(S_ISLNK(lstat_of(dangling).st_mode));
  CHECK(slurp(dir.file("real/new.stp")) == "x\n");

  // A link to a device node is refused like the node.
  REQUIRE(::mkfifo(dir.file("fifo").c_str(), 0644) == 0);
  REQUIRE(::symlink("fifo", dir.file("f.stp").c_str()) == 0);
  CHECK_FALSE(write_x(dir.file("f.stp"), &err));
  CHECK(err.message == "a FIFO (its target " + dir.path.string() +
                           "/fifo) is not a regular file; refusing to replace it");
}

TEST_CASE("another user's symbolic link in a sticky world-writable folder is not followed") {
  if (::geteuid() != 0) return;  // lchown to another user needs root
  TempDir dir;
  std::string tmp = dir.file("tmp"), victim = dir.file("victim");
  REQUIRE(::mkdir(tmp.c_str(), 01777) == 0);
  ::chmod(tmp.c_str(), 01777);
  {
    sa::Diag err;
    REQUIRE(sa::write_file_atomic(victim, "secret\n", &err));
  }
  std::string link = tmp + "/t.stp";
  REQUIRE(::symlink(victim.c_str(), link.c_str()) == 0);
  REQUIRE(::lchown(link.c_str(), 65534, 65534) == 0);
  sa::Diag err;
  CHECK_FALSE(write_x(link, &err));
  CHECK(err.exit == sa::Exit::cant_create);
  CHECK(err.message ==
        "refusing to follow " + link +
            ": a symbolic link owned by another user in a sticky world-writable folder");
  CHECK(slurp(victim) == "secret\n");
}

TEST_CASE("the owner, group and mode of a replaced file are kept") {
  if (::geteuid() != 0) return;  // chown to another user needs root
  TempDir dir;
  std::string f = dir.file("t.stp");
  sa::Diag err;
  REQUIRE(sa::write_file_atomic(f, "one\n", &err));
  REQUIRE(::chown(f.c_str(), 65534, 65534) == 0);
  REQUIRE(::chmod(f.c_str(), 0664) == 0);
  REQUIRE(edit_x(f, &err));
  struct stat st = lstat_of(f);
  CHECK(st.st_uid == 65534);
  CHECK(st.st_gid == 65534);
  CHECK((st.st_mode & 07777) == 0664);
  CHECK(slurp(f) == "one\nx\n");
}

TEST_CASE("a file with hard links is refused; both names keep the old text") {
  TempDir dir;
  std::string f = dir.file("t.stp"), other = dir.file("other.stp");
  sa::Diag err;
  REQUIRE(sa::write_file_atomic(f, "one\n", &err));
  REQUIRE(::link(f.c_str(), other.c_str()) == 0);
  for (auto write : {write_x, edit_x}) {
    CHECK_FALSE(write(f, &err));
    CHECK(err.exit == sa::Exit::cant_create);
    CHECK(
        err.message ==
        "file has 2 hard links; refusing to replace it (its other names would keep the old text)");
    CHECK(lstat_of(f).st_ino == lstat_of(other).st_ino);
    CHECK(slurp(other) == "one\n");
  }
}

TEST_CASE("a read-only file is refused, even for root") {
  TempDir dir;
  std::string f = dir.file("t.stp");
  sa::Diag err;
  REQUIRE(sa::write_file_atomic(f, "one\n", &err));
  REQUIRE(::chmod(f.c_str(), 0444) == 0);
  for (auto write : {write_x, edit_x}) {
    CHECK_FALSE(write(f, &err));
    CHECK(err.exit == sa::Exit::cant_create);
    CHECK(err.message == "file is not writable (mode 0444); refusing to replace it");
    CHECK(slurp(f) == "one\n");
  }
}

TEST_CASE("create_file_new never replaces anything, not even a link or a node") {
  TempDir dir;
  std::string f = dir.file("t.stp"), link = dir.file("l.stp"), fifo = dir.file("fifo");
  sa::Diag err;
  CHECK(sa::create_file_new(f, "one\n", &err) == sa::CreateResult::created);
  CHECK(sa::create_file_new(f, "two\n", &err) == sa::CreateResult::exists);
  CHECK(slurp(f) == "one\n");
  REQUIRE(::symlink("nowhere", link.c_str()) == 0);
  CHECK(sa::create_file_new(link, "two\n", &err) == sa::CreateResult::exists);
  CHECK_FALSE(fs::exists(dir.file("nowhere")));
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  CHECK(sa::create_file_new(fifo, "two\n", &err) == sa::CreateResult::exists);
  CHECK(entries_in(dir.path) == 3);
}

TEST_CASE("a stale temporary file of a killed run is removed by the next write") {
  TempDir dir;
  std::string f = dir.file("t.stp");
  std::string stale = dir.file((std::string(".t.stp") + sa::temp_file_infix + "Ab12Cd").c_str());
  std::string other = dir.file((std::string(".u.stp") + sa::temp_file_infix + "Ab12Cd").c_str());
  for (const auto& p : {stale, other}) std::fclose(std::fopen(p.c_str(), "w"));
  sa::Diag err;
  REQUIRE(write_x(f, &err));
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(other));  // another file's temporary is that file's business
}

TEST_CASE("SIGTERM during a write removes the temporary file") {
  TempDir dir;
  std::string f = dir.file("big.stp");
  std::string prefix = std::string(".big.stp") + sa::temp_file_infix;
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGTERM, SIG_DFL);  // not doctest's crash handler: between writes SIGTERM just ends it
    std::string big(256u << 20, 'x');
    sa::Diag err;
    for (;;) sa::write_file_atomic(f, big, &err);  // until killed
  }
  bool seen = false;
  for (int i = 0; i < 20000 && !seen; ++i) {
    for (auto& e : fs::directory_iterator(dir.path))
      seen = seen || e.path().filename().string().rfind(prefix, 0) == 0;
    if (!seen) ::usleep(1000);
  }
  REQUIRE(seen);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  for (auto& e : fs::directory_iterator(dir.path))
    CHECK(e.path().filename().string().rfind(prefix, 0) != 0);
}
