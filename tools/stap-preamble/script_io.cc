// SPDX-License-Identifier: GPL-2.0-or-later
#include "script_io.h"

#include "atomic_file.h"
#include "preamble.h"

namespace sa {

namespace {

// The value of `global NAME = VALUE` at the start of a line of `text`, quotes removed; "" if
// absent.
std::string global_value(const std::string& text, const std::string& name) {
  const std::string key = "global " + name + " = ";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(pos, key.size(), key) == 0) {
      std::string v = text.substr(pos + key.size(), nl - pos - key.size());
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
    pos = nl + 1;
  }
  return "";
}

}  // namespace

int read_param_defaults(const std::string& preamble, PreambleParams* params) {
  int found = 0;
  Diag ignored;
  auto take = [&](const char* name, auto apply) {
    std::string v = global_value(preamble, name);
    if (v.empty()) return;
    PreambleParams trial = *params;
    if (!apply(trial, v) || !check_params(trial, &ignored)) return;
    *params = trial;
    ++found;
  };
  take("dest_port", [](PreambleParams& p, const std::string& v) {
    if (v.size() > 5 || v.find_first_not_of("0123456789") != std::string::npos) return false;
    p.port = std::stoi(v);
    return true;
  });
  take("interface", [](PreambleParams& p, const std::string& v) {
    p.interface = v;
    return true;
  });
  take("dest_ip", [](PreambleParams& p, const std::string& v) {
    p.dest_ip = v;
    return true;
  });
  take("dest_mac", [](PreambleParams& p, const std::string& v) {
    p.dest_mac = v;
    return true;
  });
  return found;
}

bool write_new_script(const std::string& path, const std::string& content, bool force, Diag* err) {
  if (force) return write_file_atomic(path, content, err);
  CreateResult r = create_file_new(path, content, err);
  if (r == CreateResult::exists) {
    *err = Diag::error_at(Exit::cant_create, path, 0, "file exists; not overwriting it");
    err->note("use --force to replace it, or --regenerate to replace only its preamble");
  }
  return r == CreateResult::created;
}

std::optional<std::string> replace_preamble(const std::string& script, const std::string& preamble,
                                            const std::string& script_name, Diag* err) {
  auto parts = split_script(script, script_name, err);
  if (!parts) return std::nullopt;
  return preamble + parts->body;
}

bool regenerate_script(const std::string& path, const std::string& preamble, bool* changed,
                       Diag* err) {
  *changed = false;
  // A missing script is an error (exit 66), never a new file: read it once before locking. An empty
  // one (or whatever is not a regular file, refused by the locked edit) has no marker to keep.
  auto before = read_file(path, err);
  if (!before) return false;
  return edit_file_locked(
      path,
      [&](std::string& content, bool existed, Diag* edit_err) {
        if (!existed) {
          replace_preamble(content, preamble, path, edit_err);  // sets the no-marker error
          return false;
        }
        auto updated = replace_preamble(content, preamble, path, edit_err);
        if (!updated) return false;
        if (*updated == content) return false;  // nothing to write; no error set
        content = std::move(*updated);
        *changed = true;
        return true;
      },
      err);
}

}  // namespace sa
