// SPDX-License-Identifier: GPL-2.0-or-later
// The preamble's rendering, its marker and the file operations of stap-preamble.
#include "preamble.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "atomic_file.h"
#include "script_io.h"

namespace {

std::string marker_line() { return std::string(sa::kPreambleEndMarker) + "\n"; }

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "sa-preamble-test.XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  size_t entries() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(path),
                                             std::filesystem::directory_iterator()));
  }
};

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }
std::string get(const std::string& path) {
  sa::Diag err;
  return sa::read_file(path, &err).value_or("<unreadable>");
}

}  // namespace

TEST_CASE("render fills every placeholder and appends the marker") {
  sa::PreambleParams p;
  p.port = 4242;
  p.interface = "ens3";
  p.dest_ip = "10.0.2.2";
  p.dest_mac = "52:55:0a:00:02:02";
  sa::Diag err;
  auto out = sa::render_preamble(
      "a=@@PORT@@ b=@@CLEAR_MSG@@ c=@@INTERFACE@@ d=@@DEST_IP@@ e=@@DEST_MAC@@", p, "t.stp", &err);
  REQUIRE(out);
  CHECK(*out == "a=4242 b====CLEAR=== c=ens3 d=10.0.2.2 e=52:55:0a:00:02:02\n" + marker_line());
}

TEST_CASE("render keeps a template's own marker when it is the last line") {
  sa::Diag err;
  auto out = sa::render_preamble("x\n" + marker_line(), {}, "t.stp", &err);
  REQUIRE(out);
  CHECK(*out == "x\n" + marker_line());
  auto reworded =
      sa::render_preamble("x\n// stap-assistant: end of preamble (mine)", {}, "t.stp", &err);
  REQUIRE(reworded);
  CHECK(*reworded == "x\n// stap-assistant: end of preamble (mine)\n");
}

TEST_CASE("render rejects unknown placeholders, misplaced and duplicate markers") {
  sa::Diag err;
  CHECK_FALSE(sa::render_preamble("x\n@@PROT@@\n", {}, "t.stp", &err));
  CHECK(sa::format_diag("stap-preamble", err) ==
        "stap-preamble: t.stp:2: error: unknown placeholder @@PROT@@\n"
        "stap-preamble: note: known placeholders: @@PORT@@ @@CLEAR_MSG@@ @@INTERFACE@@ @@DEST_IP@@ "
        "@@DEST_MAC@@\n");
  CHECK_FALSE(sa::render_preamble(marker_line() + "probe x {}\n", {}, "t.stp", &err));
  CHECK(err.message == "the end-of-preamble marker must be the template's last line");
  CHECK_FALSE(sa::render_preamble(marker_line() + marker_line(), {}, "t.stp", &err));
  CHECK(err.line == 2);
  // A lone @@ (not a placeholder name) is SystemTap's business.
  auto lone = sa::render_preamble("a @@ b\n", {}, "t.stp", &err);
  REQUIRE(lone);
  CHECK(lone->starts_with("a @@ b\n"));
}

TEST_CASE("check_params rejects values that would break the generated SystemTap code") {
  sa::Diag err;
  sa::PreambleParams p;
  CHECK(sa::check_params(p, &err));
  auto bad = [&](auto set) {
    sa::PreambleParams q;
    set(q);
    bool ok = sa::check_params(q, &err);
    CHECK(err.exit == sa::Exit::usage);
    return !ok;
  };
  CHECK(bad([](auto& q) { q.port = 0; }));
  CHECK(bad([](auto& q) { q.port = 65536; }));
  CHECK(bad([](auto& q) { q.dest_ip = "1.2.3"; }));
  CHECK(bad([](auto& q) { q.dest_ip = "1.2.3.256"; }));
  CHECK(bad([](auto& q) { q.dest_ip = "1.2.3.4.5"; }));
  CHECK(bad([](auto& q) { q.dest_ip = "1..3.4"; }));
  CHECK(bad([](auto& q) { q.dest_mac = "ff:ff:ff:ff:ff"; }));
  CHECK(bad([](auto& q) { q.dest_mac = "ff:ff:ff:ff:ff:fg"; }));
  CHECK(bad([](auto& q) { q.interface = "eth0\""; }));
  CHECK(bad([](auto& q) { q.interface = "a-very-long-name0"; }));
  CHECK(bad([](auto& q) { q.interface = ""; }));
  sa::PreambleParams ok;
  ok.dest_mac = "52:55:0A:00:02:02";
  ok.interface = "enp0s3.100";
  CHECK(sa::check_params(ok, &err));
}

TEST_CASE("the shipped preamble renders and has the helpers and load-time parameters") {
  sa::Diag err;
  ::setenv("STAP_ASSISTANT_PREAMBLE", SA_SOURCE_DIR "/share/preamble.stp", 1);
  auto out = sa::load_preamble("", {}, &err);
  ::unsetenv("STAP_ASSISTANT_PREAMBLE");
  REQUIRE_MESSAGE(out, err.message);
  CHECK(out->find("@@") == std::string::npos);
  CHECK(out->ends_with(marker_line()));
  auto parts = sa::split_script(*out, "preamble", &err);
  REQUIRE(parts);
  CHECK(parts->body.empty());
  for (const char* needle :
       {"function trace_call()", "function trace_return()", "function trace_line()",
        "global interface = \"eth0\"", "global dest_ip = \"255.255.255.255\"",
        "global dest_port = 65530", "global dest_mac = \"ff:ff:ff:ff:ff:ff\"", "===CLEAR==="})
    CHECK_MESSAGE(out->find(needle) != std::string::npos, std::string(needle));
}

TEST_CASE("replace_preamble keeps the body byte for byte") {
  sa::Diag err;
  std::string body =
      "\n\nprobe kernel.function(\"x\") { trace_call() }  \r\n// edited\n\tno newline";
  std::string script = "old preamble, hand-edited\n" + marker_line() + body;
  auto out = sa::replace_preamble(script, "new\n" + marker_line(), "s.stp", &err);
  REQUIRE(out);
  CHECK(*out == "new\n" + marker_line() + body);
  CHECK_FALSE(sa::replace_preamble("probe x {}\n", "new\n" + marker_line(), "s.stp", &err));
  CHECK(err.exit == sa::Exit::data_error);
  CHECK(err.message == "no end-of-preamble marker in this script");
}

TEST_CASE("write_new_script refuses an existing file unless forced, and leaves no temporary") {
  TempDir d;
  sa::Diag err;
  std::string f = d.file("tracer.stp");
  REQUIRE(sa::write_new_script(f, "one\n", false, &err));
  CHECK(get(f) == "one\n");
  CHECK_FALSE(sa::write_new_script(f, "two\n", false, &err));
  CHECK(err.exit == sa::Exit::cant_create);
  CHECK(get(f) == "one\n");
  ::chmod(f.c_str(), 0751);
  REQUIRE(sa::write_new_script(f, "three\n", true, &err));
  CHECK(get(f) == "three\n");
  struct stat st;
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0751);
  CHECK(d.entries() == 1);
  CHECK_FALSE(sa::write_new_script(d.file("no/such/dir.stp"), "x", false, &err));
  CHECK(err.exit == sa::Exit::cant_create);
}

TEST_CASE("regenerate_script rewrites the preamble only, atomically, keeping the mode") {
  TempDir d;
  sa::Diag err;
  std::string f = d.file("tracer.stp");
  std::string body = "probe a { trace_call() }\n// mine\n";
  put(f, "// edited above\nold\n" + marker_line() + body);
  ::chmod(f.c_str(), 0700);
  struct stat before, after;
  REQUIRE(::stat(f.c_str(), &before) == 0);
  bool changed = false;
  REQUIRE(sa::regenerate_script(f, "new\n" + marker_line(), &changed, &err));
  CHECK(changed);
  CHECK(get(f) == "new\n" + marker_line() + body);
  REQUIRE(::stat(f.c_str(), &after) == 0);
  CHECK((after.st_mode & 07777) == 0700);
  CHECK(after.st_ino != before.st_ino);  // a new file renamed over the old one
  CHECK(d.entries() == 1);

  REQUIRE(sa::regenerate_script(f, "new\n" + marker_line(), &changed, &err));
  CHECK_FALSE(changed);

  put(f, "no marker\n");
  CHECK_FALSE(sa::regenerate_script(f, "new\n" + marker_line(), &changed, &err));
  CHECK(get(f) == "no marker\n");
  put(f, "");
  CHECK_FALSE(sa::regenerate_script(f, "new\n" + marker_line(), &changed, &err));
  CHECK(std::filesystem::exists(f));
  CHECK_FALSE(sa::regenerate_script(d.file("missing.stp"), "x\n", &changed, &err));
  CHECK(err.exit == sa::Exit::no_input);
  CHECK_FALSE(std::filesystem::exists(d.file("missing.stp")));
}

TEST_CASE("read_param_defaults reads back what render wrote, and ignores bad values") {
  sa::Diag err;
  sa::PreambleParams p;
  p.port = 4000;
  p.interface = "ens5";
  p.dest_ip = "192.168.1.9";
  p.dest_mac = "02:00:00:00:00:01";
  auto text = sa::render_preamble(
      "global dest_port = @@PORT@@\nglobal interface = \"@@INTERFACE@@\"\n"
      "global dest_ip = \"@@DEST_IP@@\"\nglobal dest_mac = \"@@DEST_MAC@@\"\n",
      p, "t", &err);
  REQUIRE(text);
  sa::PreambleParams back;
  CHECK(sa::read_param_defaults(*text, &back) == 4);
  CHECK(back.port == 4000);
  CHECK(back.interface == "ens5");
  CHECK(back.dest_ip == "192.168.1.9");
  CHECK(back.dest_mac == "02:00:00:00:00:01");

  sa::PreambleParams none;
  CHECK(sa::read_param_defaults("global dest_port = 99999\nglobal dest_ip = \"1.2.3\"\n"
                                "  global interface = \"x\"\n",
                                &none) == 0);
  CHECK(none.port == 65530);
  CHECK(none.dest_ip == "255.255.255.255");
  CHECK(none.interface == "eth0");
}
