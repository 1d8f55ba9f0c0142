// SPDX-License-Identifier: GPL-2.0-or-later
// stap-logd's session folder and files under attack (issue #12): the folder must be ours and not
// writable by others, a reopen never follows a link, --keep sizes never wrap, and with no HOME
// there is no default folder (never /tmp).
#include <doctest/doctest.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>

#include "../../tools/stap-logd/options.h"  // stap-addprobe has an options.h too
#include "session_dir.h"
#include "session_store.h"

using namespace sa::logd;

namespace {

StoreOptions options_for(const std::string& dir) {
  StoreOptions o;
  o.dir = dir;
  return o;
}

// Sets an environment variable for one scope (nullptr: unset), and puts the old value back.
struct ScopedEnv {
  std::string name;
  std::optional<std::string> old;
  ScopedEnv(const char* n, const char* value) : name(n) {
    if (const char* v = std::getenv(n)) old = v;
    if (value)
      ::setenv(n, value, 1);
    else
      ::unsetenv(n);
  }
  ~ScopedEnv() {
    if (old)
      ::setenv(name.c_str(), old->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("a session folder of another user, or writable by others, is refused with the reason") {
  MemFileSystem fs;
  fs.folder_info["/theirs"] = FolderInfo{false, 65534, 0755};
  fs.folder_info["/open"] = FolderInfo{true, 0, 01777};
  fs.folder_info["/group"] = FolderInfo{true, 0, 0770};
  sa::Diag err;
  SessionStore theirs(fs, options_for("/theirs"));
  CHECK_FALSE(theirs.open(&err));
  CHECK(err.exit == sa::Exit::cant_create);
  CHECK(err.message ==
        "session folder /theirs belongs to another user (uid 65534); refusing to write sessions "
        "there");
  REQUIRE(err.notes.size() == 2);
  CHECK(err.notes[1] == "choose another folder with -d DIR");

  SessionStore open(fs, options_for("/open"));
  CHECK_FALSE(open.open(&err));
  CHECK(err.message ==
        "session folder /open is writable by others (mode 1777); refusing to write sessions there");
  SessionStore group(fs, options_for("/group"));
  CHECK_FALSE(group.open(&err));

  SessionStore mine(fs, options_for("/mine"));
  CHECK(mine.open(&err));
}

TEST_CASE("new folders get the file mode plus x where it has r") {
  CHECK(folder_mode(0640) == 0750);
  CHECK(folder_mode(0644) == 0755);
  CHECK(folder_mode(0600) == 0700);
  unsigned m = 0;
  std::string err;
  CHECK(parse_file_mode("0640", &m, &err));
  CHECK(m == 0640);
  CHECK(parse_file_mode("600", &m, &err));
  CHECK(m == 0600);
  for (const char* bad : {"0666", "0660", "0400", "0755", "rw", "", "00640"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_file_mode(bad, &m, &err));
  }
  CHECK(err ==
        "bad --mode value '00640': expected an octal mode from 0600 to 0644 (no write or execute "
        "bits for group and others)");
}

TEST_CASE("a reopen does not follow a session file swapped for a link") {
  MemFileSystem fs;
  SessionStore store(fs, options_for("/s"));
  sa::Diag err;
  REQUIRE(store.open(&err));
  std::string name = store.start_session("10.0.2.15");
  store.append("10.0.2.15", "before");
  store.flush();
  store.take_events();
  // The attacker's swap: the file is gone and a link to a victim is in its place.
  fs.files["/victim"] = std::make_shared<std::string>("secret\n");
  fs.files.erase("/s/" + name);
  fs.symlinks["/s/" + name] = "/victim";
  CHECK(store.reopen() == 1);
  auto events = store.take_events();
  REQUIRE_FALSE(events.empty());
  CHECK(events[0].message ==
        "cannot reopen session /s/" + name + ": it is a symbolic link now; not following it");
  store.append("10.0.2.15", "after");
  store.flush();
  CHECK(fs.read("/victim") == "secret\n");
  CHECK(reopen_refusal(EINVAL) == "it is not a regular file now");
  CHECK(reopen_refusal(EPERM) == "it belongs to another user now");
  CHECK(reopen_refusal(EMLINK) == "it has other hard links now");
}

TEST_CASE("--keep sizes that do not fit 64 bits are refused, never wrapped") {
  Retention r;
  std::string err;
  CHECK_FALSE(parse_keep("17592186044417M", &r, &err));  // 2^44 + 1 MiB: wrapped to 1 MiB before
  CHECK(err == "bad --keep value '17592186044417M': too large (at most 16 EiB)");
  CHECK(r.max_bytes == 0);
  CHECK_FALSE(parse_keep("99999999999999999999", &r, &err));  // sessions beyond 2^64
  CHECK(err == "bad --keep value '99999999999999999999': too large (at most 16 EiB)");
  CHECK(parse_keep("16777215T", &r, &err));  // 2^64 - 2^40: fits
  CHECK(r.max_bytes == 16777215ull << 40);
  CHECK_FALSE(parse_keep("16777216T", &r, &err));
  CHECK(parse_keep("3", &r, &err));
  CHECK(r.max_sessions == 3);
}

TEST_CASE("with no HOME the default folder is XDG_STATE_HOME's or none, never /tmp") {
  {
    ScopedEnv home("HOME", nullptr), state("XDG_STATE_HOME", nullptr);
    CHECK(sa::default_session_dir() == "");
    Config cfg;
    sa::Diag err;
    CHECK_FALSE(check_config(cfg, &err));
    CHECK(err.exit == sa::Exit::cant_create);
    CHECK(err.message == "no session folder: neither XDG_STATE_HOME nor HOME is an absolute path");
  }
  {
    ScopedEnv home("HOME", nullptr), state("XDG_STATE_HOME", "/var/lib/me");
    CHECK(sa::default_session_dir() == "/var/lib/me/stap-assistant/sessions");
  }
  {
    ScopedEnv home("HOME", "relative"), state("XDG_STATE_HOME", "also-relative");
    CHECK(sa::default_session_dir() == "");
  }
  {
    ScopedEnv home("HOME", "/home/k"), state("XDG_STATE_HOME", nullptr);
    CHECK(sa::default_session_dir() == "/home/k/.local/state/stap-assistant/sessions");
  }
}
