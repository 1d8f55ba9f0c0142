// SPDX-License-Identifier: GPL-2.0-or-later
// A small evaluator for Kbuild Makefiles: just enough GNU make to learn which objects a directory
// builds and with which flags, without running make.
//
// Kbuild Makefiles are mostly lists: `obj-$(CONFIG_X) += foo.o bar/`, `foo-y := a.o b.o`,
// `ccflags-y += -I$(src)`. Evaluating them needs variables (simple `:=` and recursive `=`, `+=`,
// `?=`), conditionals (ifeq/ifneq/ifdef/ifndef/else/endif), `include`, and the common text
// functions (subst, patsubst, filter, addprefix, if, foreach, call, ...). Rules and recipes are
// skipped.
//
// Besides the final variable values, the evaluator records every word assigned to a list variable
// `NAME-SUFFIX` (obj-y, ext4-objs, obj-, ...) with the file and line of the assignment and, when
// the list is switched off (`obj-$(CONFIG_X)` with X unset, or a false conditional), the reason.
// That is what lets stap-addprobe say "CONFIG_FOO is not set (fs/foo/Makefile:3)".
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sa::ktree::kbuild {

// The kernel configuration: CONFIG_X -> "y", "m", "\"string\"", "123"; unset options are absent.
struct Config {
  std::map<std::string, std::string> values;
  std::string get(const std::string& name) const;
};

// Parses a .config ("CONFIG_X=y" lines; "# CONFIG_X is not set" leaves X absent).
Config parse_config(const std::string& text);

struct ListWord {
  std::string list;    // the list's name without suffix: "obj", "lib", "ext4", "subdir"
  std::string suffix;  // "y", "m", "objs" when the list is live; anything else ("", "n") when off
  std::string word;    // one expanded word, e.g. "inode.o", "ext4/", "../display/dc/dc.o"
  std::string file;    // the Makefile (path as given to evaluate()) and line of the assignment
  int line = 0;
  bool live = false;   // suffix is y/m/objs and every enclosing conditional is true
  std::string reason;  // for !live: why, e.g. "CONFIG_EXT4_FS is not set"
};

struct Result {
  std::map<std::string, std::string> vars;  // final values, expanded
  std::vector<ListWord> words;
};

// Predefined variables (srctree, src, obj, SRCARCH, ...) and the config; evaluate() reads
// `path` (and what it includes) from disk.
struct Env {
  std::map<std::string, std::string> vars;
  const Config* config = nullptr;
};

Result evaluate(const std::string& path, const Env& env);
Result evaluate_text(const std::string& text, const std::string& file_name, const Env& env);

}  // namespace sa::ktree::kbuild
