// SPDX-License-Identifier: GPL-2.0-or-later
// The Kbuild Makefile evaluator (see kbuild.h). One pass over logical lines (backslash-newline
// joined): recipes after a rule are skipped, directives maintain a stack of conditionals,
// assignments update the variable table, and assignments to `NAME-SUFFIX` lists also record their
// words. Expansion is recursive descent over `$(...)`; unknown functions expand to nothing, which
// is what a Kbuild Makefile evaluated outside Kbuild needs (`$(call cc-option,...)` and friends
// only add compiler flags we do not want anyway).
#include "kbuild.h"

#include <glob.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace sa::ktree::kbuild {

std::string Config::get(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

Config parse_config(const std::string& text) {
  Config c;
  size_t pos = 0;
  auto hint = c.values.end();
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(pos, 7, "CONFIG_") == 0) {
      size_t eq = text.find('=', pos);
      if (eq != std::string::npos && eq < nl)  // .config is sorted: insert at the end
        hint = c.values.emplace_hint(c.values.end(), text.substr(pos, eq - pos),
                                     text.substr(eq + 1, nl - eq - 1));
    }
    pos = nl + 1;
  }
  (void)hint;
  return c;
}

namespace {

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string join_words(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Index of the `)`/`}` closing the `(`/`{` at `open`, or npos.
size_t match_paren(const std::string& s, size_t open) {
  char o = s[open], c = o == '(' ? ')' : '}';
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == o)
      ++depth;
    else if (s[i] == c && --depth == 0)
      return i;
  }
  return std::string::npos;
}

// Splits at top-level commas (not inside $(...)), into at most `max` pieces (0 = unlimited).
std::vector<std::string> split_args(const std::string& s, size_t max) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '{')
      ++depth;
    else if (s[i] == ')' || s[i] == '}')
      --depth;
    else if (s[i] == ',' && depth == 0 && (max == 0 || out.size() + 1 < max)) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

bool pattern_match(const std::string& pat, const std::string& word, std::string* stem) {
  auto pct = pat.find('%');
  if (pct == std::string::npos) return pat == word;
  std::string pre = pat.substr(0, pct), post = pat.substr(pct + 1);
  if (word.size() < pre.size() + post.size()) return false;
  if (word.compare(0, pre.size(), pre) != 0) return false;
  if (word.compare(word.size() - post.size(), post.size(), post) != 0) return false;
  if (stem) *stem = word.substr(pre.size(), word.size() - pre.size() - post.size());
  return true;
}

std::string pattern_subst(const std::string& pat, const std::string& rep, const std::string& word) {
  std::string stem;
  if (!pattern_match(pat, word, &stem)) return word;
  auto pct = rep.find('%');
  if (pct == std::string::npos || pat.find('%') == std::string::npos) return rep;
  return rep.substr(0, pct) + stem + rep.substr(pct + 1);
}

std::string read_file(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *ok = false;
    return {};
  }
  std::ostringstream s;
  s << in.rdbuf();
  *ok = true;
  return s.str();
}

const std::set<std::string>& known_functions() {
  static const std::set<std::string> f = {
      "subst", "patsubst", "strip",    "findstring", "filter",    "filter-out",
      "sort",  "word",     "words",    "wordlist",   "firstword", "lastword",
      "dir",   "notdir",   "suffix",   "basename",   "addsuffix", "addprefix",
      "join",  "wildcard", "realpath", "abspath",    "if",        "or",
      "and",   "foreach",  "call",     "origin",     "value",     "shell",
      "error", "warning",  "info",     "eval",       "flavor",    "file"};
  return f;
}

class Evaluator {
 public:
  explicit Evaluator(const Env& env) : config_(env.config) {
    // CONFIG_ values are looked up in the config (10,000 of them: copying costs milliseconds).
    for (const auto& [k, v] : env.vars) vars_[k] = {v, false};
    auto it = env.vars.find("srctree");
    if (it != env.vars.end()) srctree_ = it->second;
  }

  void run_file(const std::string& path, int depth) {
    bool ok = false;
    std::string text = read_file(path, &ok);
    if (ok) run_text(text, path, depth);
  }

  void run_text(const std::string& text, const std::string& file, int depth);

  Result result() {
    Result r;
    for (const auto& [k, v] : vars_) r.vars[k] = v.recursive ? expand(v.value) : v.value;
    r.words = std::move(words_);
    return r;
  }

 private:
  struct Var {
    std::string value;
    bool recursive = false;
  };
  struct Cond {
    bool active = true;  // this branch is being taken
    bool taken = false;  // some branch of this if has been taken
    std::string text;    // the directive, for reasons
    std::string reason;  // why the current branch is off
  };

  bool active() const {
    return std::all_of(conds_.begin(), conds_.end(), [](const Cond& c) { return c.active; });
  }
  bool parent_active() const {
    return std::all_of(conds_.begin(), conds_.empty() ? conds_.end() : conds_.end() - 1,
                       [](const Cond& c) { return c.active; });
  }
  std::string off_reason() const {
    for (const auto& c : conds_)
      if (!c.active) return c.reason;
    return {};
  }

  // The variable's raw entry, from the Makefiles or else the config; nullptr when undefined.
  const Var* find_var(const std::string& name) const {
    auto it = vars_.find(name);
    if (it != vars_.end()) return &it->second;
    if (config_ && name.rfind("CONFIG_", 0) == 0) {
      auto c = config_->values.find(name);
      if (c != config_->values.end()) {
        scratch_ = {c->second, false};
        return &scratch_;
      }
    }
    return nullptr;
  }

  std::string lookup(const std::string& name, int depth) {
    auto it = vars_.find(name);
    if (it == vars_.end()) {
      const Var* v = find_var(name);
      return v ? v->value : std::string();
    }
    if (!it->second.recursive) return it->second.value;
    if (depth > 40) return {};
    return expand(it->second.value, depth + 1);
  }

  std::string expand(const std::string& s, int depth = 0);
  std::string call_function(const std::string& name, const std::string& raw_args, int depth);
  bool eval_condition(const std::string& directive, const std::string& rest, std::string* reason);
  std::string config_reason(const std::string& raw) const;
  void assign(const std::string& lhs_raw, const std::string& op, const std::string& rhs,
              const std::string& file, int line);

  const Config* config_ = nullptr;
  mutable Var scratch_;
  std::map<std::string, Var> vars_;
  std::vector<Cond> conds_;
  std::vector<ListWord> words_;
  std::string srctree_;
};

std::string Evaluator::expand(const std::string& s, int depth) {
  if (s.find('$') == std::string::npos) return s;
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char n = s[i + 1];
    if (n == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (n != '(' && n != '{') {  // $x, $@, $<: single-character variables
      out += lookup(std::string(1, n), depth);
      ++i;
      continue;
    }
    size_t close = match_paren(s, i + 1);
    if (close == std::string::npos) {  // unbalanced: keep the rest literally
      out += s.substr(i);
      break;
    }
    std::string inner = s.substr(i + 2, close - i - 2);
    i = close;
    size_t sp = inner.find_first_of(" \t");
    if (sp != std::string::npos && known_functions().count(inner.substr(0, sp))) {
      out += call_function(inner.substr(0, sp), inner.substr(sp + 1), depth);
      continue;
    }
    std::string name = expand(inner, depth + 1);
    // Substitution reference $(var:a=b).
    auto colon = name.find(':');
    if (colon != std::string::npos && name.find('=', colon) != std::string::npos) {
      auto eq = name.find('=', colon);
      std::string pat = name.substr(colon + 1, eq - colon - 1), rep = name.substr(eq + 1);
      if (pat.find('%') == std::string::npos) {
        pat = "%" + pat;
        rep = "%" + rep;
      }
      std::vector<std::string> ws;
      for (const auto& w : split_words(lookup(name.substr(0, colon), depth)))
        ws.push_back(pattern_subst(pat, rep, w));
      out += join_words(ws);
      continue;
    }
    out += lookup(name, depth);
  }
  return out;
}

std::string Evaluator::call_function(const std::string& fn, const std::string& raw, int depth) {
  if (depth > 60) return {};
  auto arg = [&](const std::vector<std::string>& a, size_t i) {
    return i < a.size() ? expand(a[i], depth + 1) : std::string();
  };
  auto words_of = [&](const std::vector<std::string>& a, size_t i) {
    return split_words(arg(a, i));
  };
  if (fn == "if") {
    auto a = split_args(raw, 3);
    return trim(arg(a, 0)).empty() ? arg(a, 2) : arg(a, 1);
  }
  if (fn == "or") {
    for (const auto& piece : split_args(raw, 0)) {
      std::string v = trim(expand(piece, depth + 1));
      if (!v.empty()) return v;
    }
    return {};
  }
  if (fn == "and") {
    std::string v;
    for (const auto& piece : split_args(raw, 0)) {
      v = trim(expand(piece, depth + 1));
      if (v.empty()) return {};
    }
    return v;
  }
  if (fn == "foreach") {
    auto a = split_args(raw, 3);
    std::string var = trim(arg(a, 0));
    auto saved = vars_.find(var) != vars_.end() ? std::optional<Var>(vars_[var]) : std::nullopt;
    std::vector<std::string> outs;
    for (const auto& w : words_of(a, 1)) {
      vars_[var] = {w, false};
      std::string v = trim(arg(a, 2));
      if (!v.empty()) outs.push_back(v);
    }
    if (saved)
      vars_[var] = *saved;
    else
      vars_.erase(var);
    return join_words(outs);
  }
  if (fn == "call") {
    auto a = split_args(raw, 0);
    std::string name = trim(arg(a, 0));
    auto it = vars_.find(name);
    if (it == vars_.end()) return {};
    std::map<std::string, std::optional<Var>> saved;
    for (size_t i = 1; i < a.size() && i < 10; ++i) {
      std::string k = std::to_string(i);
      saved[k] = vars_.count(k) ? std::optional<Var>(vars_[k]) : std::nullopt;
      vars_[k] = {arg(a, i), false};
    }
    std::string body = it->second.value;
    std::string v = expand(body, depth + 1);
    for (auto& [k, old] : saved) {
      if (old)
        vars_[k] = *old;
      else
        vars_.erase(k);
    }
    return v;
  }
  if (fn == "value") {
    const Var* v = find_var(trim(expand(raw, depth + 1)));
    return v ? v->value : std::string();
  }
  if (fn == "origin") return find_var(trim(expand(raw, depth + 1))) ? "file" : "undefined";
  if (fn == "shell" || fn == "error" || fn == "warning" || fn == "info" || fn == "eval" ||
      fn == "flavor" || fn == "file")
    return {};

  if (fn == "subst") {
    auto a = split_args(raw, 3);
    std::string from = arg(a, 0), to = arg(a, 1), text = arg(a, 2);
    if (from.empty()) return text;
    std::string out;
    size_t pos = 0, hit;
    while ((hit = text.find(from, pos)) != std::string::npos) {
      out += text.substr(pos, hit - pos) + to;
      pos = hit + from.size();
    }
    return out + text.substr(pos);
  }
  if (fn == "patsubst") {
    auto a = split_args(raw, 3);
    std::string pat = trim(arg(a, 0)), rep = trim(arg(a, 1));
    std::vector<std::string> out;
    for (const auto& w : words_of(a, 2)) out.push_back(pattern_subst(pat, rep, w));
    return join_words(out);
  }
  if (fn == "strip") return join_words(split_words(expand(raw, depth + 1)));
  if (fn == "findstring") {
    auto a = split_args(raw, 2);
    std::string f = arg(a, 0);
    return arg(a, 1).find(f) != std::string::npos ? f : std::string();
  }
  if (fn == "filter" || fn == "filter-out") {
    auto a = split_args(raw, 2);
    auto pats = words_of(a, 0);
    std::vector<std::string> out;
    for (const auto& w : words_of(a, 1)) {
      bool hit = std::any_of(pats.begin(), pats.end(),
                             [&](const std::string& p) { return pattern_match(p, w, nullptr); });
      if (hit == (fn == "filter")) out.push_back(w);
    }
    return join_words(out);
  }
  if (fn == "sort") {
    auto w = split_words(expand(raw, depth + 1));
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
    return join_words(w);
  }
  if (fn == "words") return std::to_string(split_words(expand(raw, depth + 1)).size());
  if (fn == "firstword" || fn == "lastword") {
    auto w = split_words(expand(raw, depth + 1));
    if (w.empty()) return {};
    return fn == "firstword" ? w.front() : w.back();
  }
  if (fn == "word" || fn == "wordlist") {
    auto a = split_args(raw, fn == "word" ? 2 : 3);
    int from = std::atoi(trim(arg(a, 0)).c_str());
    int to = fn == "word" ? from : std::atoi(trim(arg(a, 1)).c_str());
    auto w = words_of(a, fn == "word" ? 1 : 2);
    std::vector<std::string> out;
    for (int i = std::max(from, 1); i <= to && i <= static_cast<int>(w.size()); ++i)
      out.push_back(w[i - 1]);
    return join_words(out);
  }
  if (fn == "dir" || fn == "notdir" || fn == "suffix" || fn == "basename") {
    std::vector<std::string> out;
    for (const auto& w : split_words(expand(raw, depth + 1))) {
      auto slash = w.rfind('/');
      auto dot = w.rfind('.');
      bool has_dot = dot != std::string::npos && (slash == std::string::npos || dot > slash);
      if (fn == "dir")
        out.push_back(slash == std::string::npos ? "./" : w.substr(0, slash + 1));
      else if (fn == "notdir")
        out.push_back(slash == std::string::npos ? w : w.substr(slash + 1));
      else if (fn == "suffix") {
        if (has_dot) out.push_back(w.substr(dot));
      } else
        out.push_back(has_dot ? w.substr(0, dot) : w);
    }
    return join_words(out);
  }
  if (fn == "addsuffix" || fn == "addprefix") {
    auto a = split_args(raw, 2);
    std::string fix = trim(arg(a, 0));
    std::vector<std::string> out;
    for (const auto& w : words_of(a, 1)) out.push_back(fn == "addsuffix" ? w + fix : fix + w);
    return join_words(out);
  }
  if (fn == "join") {
    auto a = split_args(raw, 2);
    auto x = words_of(a, 0), y = words_of(a, 1);
    std::vector<std::string> out;
    for (size_t i = 0; i < std::max(x.size(), y.size()); ++i)
      out.push_back((i < x.size() ? x[i] : "") + (i < y.size() ? y[i] : ""));
    return join_words(out);
  }
  if (fn == "wildcard") {
    std::vector<std::string> out;
    for (const auto& pat : split_words(expand(raw, depth + 1))) {
      glob_t g{};
      if (::glob(pat.c_str(), 0, nullptr, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
      ::globfree(&g);
    }
    return join_words(out);
  }
  if (fn == "realpath" || fn == "abspath") {
    std::vector<std::string> out;
    for (const auto& w : split_words(expand(raw, depth + 1))) {
      std::error_code ec;
      auto p = fn == "realpath" ? fs::canonical(w, ec) : fs::absolute(w, ec).lexically_normal();
      if (!ec) out.push_back(p.string());
    }
    return join_words(out);
  }
  return {};
}

// "CONFIG_FOO is not set" / "CONFIG_FOO=m" for the CONFIG_ names referenced in `raw`.
std::string Evaluator::config_reason(const std::string& raw) const {
  std::vector<std::string> parts;
  size_t pos = 0;
  while ((pos = raw.find("CONFIG_", pos)) != std::string::npos) {
    size_t end = pos;
    while (end < raw.size() &&
           (std::isalnum(static_cast<unsigned char>(raw[end])) || raw[end] == '_'))
      ++end;
    std::string name = raw.substr(pos, end - pos);
    const Var* v = find_var(name);
    std::string val = v ? v->value : std::string();
    std::string part = val.empty() || val == "n" ? name + " is not set" : name + "=" + val;
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
    pos = end;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

bool Evaluator::eval_condition(const std::string& directive, const std::string& rest,
                               std::string* reason) {
  bool value = false;
  if (directive == "ifdef" || directive == "ifndef") {
    std::string name = trim(expand(rest));
    const Var* v = find_var(name);
    bool defined = v && !trim(v->value).empty();
    value = directive == "ifdef" ? defined : !defined;
  } else {  // ifeq / ifneq: (a,b) or "a" "b" or 'a' 'b'
    std::string r = trim(rest), a, b;
    if (!r.empty() && r.front() == '(' && r.back() == ')') {
      auto args = split_args(r.substr(1, r.size() - 2), 2);
      a = trim(expand(args[0]));
      b = args.size() > 1 ? trim(expand(args[1])) : std::string();
    } else if (!r.empty() && (r.front() == '"' || r.front() == '\'')) {
      char q = r.front();
      auto e1 = r.find(q, 1);
      auto s2 = r.find_first_of("\"'", e1 + 1);
      if (e1 != std::string::npos && s2 != std::string::npos) {
        auto e2 = r.find(r[s2], s2 + 1);
        a = expand(r.substr(1, e1 - 1));
        b = expand(r.substr(s2 + 1, e2 == std::string::npos ? std::string::npos : e2 - s2 - 1));
      }
    }
    value = directive == "ifeq" ? a == b : a != b;
  }
  std::string cfg = config_reason(rest);
  std::string text = directive + " " + trim(rest);
  if (cfg.empty())
    *reason = "'" + text + "' is false";
  else if (directive == "ifdef")
    *reason = cfg;
  else
    *reason = cfg + " ('" + text + "' is false)";
  return value;
}

void Evaluator::assign(const std::string& lhs_raw, const std::string& op, const std::string& rhs,
                       const std::string& file, int line) {
  std::string name = trim(expand(lhs_raw));
  if (name.empty()) return;
  bool live_branch = active();
  // Record list words before (and whether or not) the assignment takes effect.
  auto dash = name.rfind('-');
  if (dash != std::string::npos && dash > 0 && name.find_first_of(" \t") == std::string::npos) {
    ListWord proto;
    proto.list = name.substr(0, dash);
    proto.suffix = name.substr(dash + 1);
    proto.file = file;
    proto.line = line;
    bool on = proto.suffix == "y" || proto.suffix == "m" || proto.suffix == "objs";
    proto.live = on && live_branch;
    if (!live_branch)
      proto.reason = off_reason();
    else if (!on) {
      proto.reason = config_reason(lhs_raw);
      if (proto.reason.empty()) proto.reason = "listed in " + trim(lhs_raw);
    }
    for (const auto& w : split_words(expand(rhs))) {
      ListWord lw = proto;
      lw.word = w;
      words_.push_back(std::move(lw));
    }
  }
  if (!live_branch) return;
  // `x-y := a.o` replaces what x-y listed before (fs/proc: `proc-$(CONFIG_MMU) := task_mmu.o`).
  bool replaces = op == ":=" || op == "::=" || op == "=" || (op == "?=" && !find_var(name));
  if (replaces && dash != std::string::npos) {
    std::string cfg = config_reason(lhs_raw);
    for (ListWord& w : words_) {
      if (!w.live || w.list + "-" + w.suffix != name) continue;
      // The words just recorded by this very assignment stay.
      if (w.file == file && w.line == line) continue;
      w.live = false;
      w.reason = (cfg.empty() ? std::string() : cfg + ": ") + "replaced by '" + trim(lhs_raw) +
                 " " + op + "' at line " + std::to_string(line);
    }
  }
  auto it = vars_.find(name);
  if (op == ":=" || op == "::=")
    vars_[name] = {expand(rhs), false};
  else if (op == "=")
    vars_[name] = {rhs, true};
  else if (op == "?=") {
    if (!find_var(name)) vars_[name] = {rhs, true};
  } else if (op == "+=") {
    if (it == vars_.end())
      vars_[name] = {rhs, true};
    else if (it->second.recursive)
      it->second.value += " " + rhs;
    else
      it->second.value += " " + expand(rhs);
  } else if (op == "!=")
    vars_[name] = {"", false};
}

// Position of the first top-level `=` (outside $(...)) and of a top-level `:` before it.
void find_ops(const std::string& s, size_t* eq, size_t* colon) {
  *eq = *colon = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '$' && i + 1 < s.size() && (s[i + 1] == '(' || s[i + 1] == '{')) {
      ++depth;
      ++i;
    } else if (c == '(' || c == '{') {
      if (depth) ++depth;
    } else if (c == ')' || c == '}') {
      if (depth) --depth;
    } else if (depth == 0 && c == '=') {
      *eq = i;
      return;
    } else if (depth == 0 && c == ':' && *colon == std::string::npos) {
      // ':=' and '::=' are assignment operators, not rule colons.
      if (!(i + 1 < s.size() &&
            (s[i + 1] == '=' || (s[i + 1] == ':' && i + 2 < s.size() && s[i + 2] == '='))))
        *colon = i;
    }
  }
}

void Evaluator::run_text(const std::string& text, const std::string& file, int depth) {
  if (depth > 12) return;
  // Logical lines: backslash-newline joins, comments cut at an unescaped '#'.
  std::vector<std::pair<int, std::string>> lines;
  {
    std::istringstream in(text);
    std::string raw, acc;
    int n = 0, start = 0;
    while (std::getline(in, raw)) {
      ++n;
      if (acc.empty()) start = n;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      if (!raw.empty() && raw.back() == '\\') {
        raw.pop_back();
        acc += raw + " ";
        continue;
      }
      acc += raw;
      lines.emplace_back(start, acc);
      acc.clear();
    }
    if (!acc.empty()) lines.emplace_back(start, acc);
  }
  bool in_rule = false, in_define = false;
  for (auto& [line_no, line] : lines) {
    if (in_define) {
      if (trim(line).rfind("endef", 0) == 0) in_define = false;
      continue;
    }
    if (!line.empty() && line[0] == '\t' && in_rule) continue;  // a recipe
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] != '\\')) {
        line.resize(i);
        break;
      }
    }
    std::string t = trim(line);
    if (t.empty()) continue;
    std::string first = t.substr(0, t.find_first_of(" \t("));
    std::string rest = first.size() < t.size() ? trim(t.substr(first.size())) : std::string();
    if (first == "ifeq" || first == "ifneq" || first == "ifdef" || first == "ifndef") {
      Cond c;
      c.text = t;
      if (active()) {
        c.active = eval_condition(first, rest, &c.reason);
        c.taken = c.active;
      } else {
        c.active = false;
        c.taken = true;  // a dead parent: no branch of this one is live
        c.reason = off_reason();
      }
      conds_.push_back(c);
      continue;
    }
    if (first == "else") {
      if (conds_.empty()) continue;
      Cond& c = conds_.back();
      if (c.taken || !parent_active()) {
        if (c.active) {
          std::string cfg = config_reason(c.text);
          c.reason = (cfg.empty() ? std::string() : cfg + " ") + "('" + c.text + "' is true)";
        }
        c.active = false;
        continue;
      }
      std::string sub = rest.substr(0, rest.find_first_of(" \t("));
      if (sub == "ifeq" || sub == "ifneq" || sub == "ifdef" || sub == "ifndef") {
        std::string subrest = trim(rest.substr(sub.size()));
        c.active = eval_condition(sub, subrest, &c.reason);
      } else {
        c.active = true;
      }
      c.taken = c.active;
      continue;
    }
    if (first == "endif") {
      if (!conds_.empty()) conds_.pop_back();
      continue;
    }
    if (first == "define") {
      in_define = true;
      continue;
    }
    if (first == "include" || first == "-include" || first == "sinclude") {
      if (!active()) continue;
      for (const auto& inc : split_words(expand(rest))) {
        fs::path p(inc);
        if (p.is_relative()) {
          fs::path here = fs::path(file).parent_path() / p;
          p = fs::exists(here) ? here : fs::path(srctree_) / p;
        }
        run_file(p.string(), depth + 1);
      }
      continue;
    }
    std::string body = t;
    for (const char* kw : {"export ", "override ", "private ", "unexport "}) {
      if (body.rfind(kw, 0) == 0) body = trim(body.substr(std::string(kw).size()));
    }
    if (first == "vpath" || first == "unexport") continue;
    size_t eq, colon;
    find_ops(body, &eq, &colon);
    if (eq != std::string::npos && colon == std::string::npos) {
      size_t op_start = eq;
      while (op_start > 0 && std::string(":+?!").find(body[op_start - 1]) != std::string::npos &&
             eq - op_start < 2)
        --op_start;
      std::string op = body.substr(op_start, eq - op_start + 1);
      in_rule = false;
      assign(body.substr(0, op_start), op, trim(body.substr(eq + 1)), file, line_no);
      continue;
    }
    if (colon != std::string::npos) in_rule = true;  // a rule (or target-specific variable)
  }
}

}  // namespace

Result evaluate(const std::string& path, const Env& env) {
  Evaluator e(env);
  e.run_file(path, 0);
  return e.result();
}

Result evaluate_text(const std::string& text, const std::string& file_name, const Env& env) {
  Evaluator e(env);
  e.run_text(text, file_name, 0);
  return e.result();
}

}  // namespace sa::ktree::kbuild
