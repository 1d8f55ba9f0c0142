// Users' files are never half-written: edits go through a locked temp-file-and-rename.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "atomic_file.h"

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
                f, [&](std::string& c, bool, sa::Diag*) { c += line; return true; }, &e))
          { fprintf(stderr, "child: %s\n", e.message.c_str()); ::_exit(1); }
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
      CHECK(all.find("probe " + std::to_string(p) + "." + std::to_string(i) + "\n") != std::string::npos);
}
