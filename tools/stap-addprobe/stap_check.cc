// SPDX-License-Identifier: GPL-2.0-or-later
// --check: elaborate the new probes with `stap -p2` before they reach the script. This file owns
// the process API (posix_spawn, pipes). All probes go to one stap run first (elaboration of the
// kernel's DWARF dominates the cost); only when that fails is each location checked alone, to say
// which failed.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "addprobe.h"

extern char** environ;

namespace sa::addprobe {
namespace {

struct RunResult {
  bool ran = false;
  int status = -1;
  std::string output;  // stdout and stderr together
};

RunResult run(const std::vector<std::string>& argv) {
  RunResult r;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return r;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return r;
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) r.output.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  while (waitpid(pid, &r.status, 0) < 0 && errno == EINTR) {
  }
  r.ran = true;
  return r;
}

// Empty probes are elided by stap's optimiser ("no probes found"): -u keeps them.
RunResult elaborate(const CheckOptions& opts, const std::vector<Probe>& probes) {
  std::string script;
  for (const auto& p : probes) script += "probe " + p.point + " { }\n";
  std::vector<std::string> argv;  // --stap may be a command with words ("stap-testbed stap")
  std::istringstream words(opts.stap);
  for (std::string w; words >> w;) argv.push_back(w);
  argv.push_back("-p2");
  argv.push_back("-u");
  if (!opts.build_dir.empty()) {
    argv.push_back("-r");
    argv.push_back(opts.build_dir);
  }
  argv.push_back("-e");
  argv.push_back(script);
  return run(argv);
}

bool ok(const RunResult& r) { return r.ran && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0; }

// The distinct error lines of stap's output (at most 4), for notes.
std::vector<std::string> error_lines(const std::string& out) {
  std::vector<std::string> lines;
  size_t bol = 0;
  while (bol < out.size() && lines.size() < 4) {
    size_t eol = out.find('\n', bol);
    std::string line = out.substr(bol, (eol == std::string::npos ? out.size() : eol) - bol);
    if (line.find("error:") != std::string::npos &&
        std::find(lines.begin(), lines.end(), line) == lines.end())
      lines.push_back(line);
    if (eol == std::string::npos) break;
    bol = eol + 1;
  }
  if (lines.empty()) lines.push_back("stap failed without an error line");
  return lines;
}

// stap's hint for a statement without a line record: "no line records for F:L ... (try :A or :B)".
// Returns the hinted lines.
std::vector<int> line_hints(const std::string& out) {
  std::vector<int> lines;
  size_t pos = out.find("(try :");
  if (pos == std::string::npos) return lines;
  size_t end = out.find(')', pos);
  std::string hint = out.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  for (size_t c = hint.find(':'); c != std::string::npos; c = hint.find(':', c + 1))
    lines.push_back(std::atoi(hint.c_str() + c + 1));
  return lines;
}

// A statement probe stap refused for want of a line record moves to a line stap suggests inside the
// same function: the nearest one after the line picked, else the nearest before it (a pick on a
// function's last return or closing brace, when GCC put the epilogue's record on the other one).
// Returns true if it moved.
bool move_to_hint(Resolution* r, const std::string& out) {
  if (r->kind != TargetKind::statement) return false;
  int after = 0, before = 0;
  for (int l : line_hints(out)) {
    if (l == r->line || l > r->function_end || l <= r->function_body) continue;
    if (l >= r->picked_line && (after == 0 || l < after)) after = l;
    if (l < r->picked_line && l > before) before = l;
  }
  int best = after ? after : before;
  if (best == 0) return false;
  Note n{NoteKind::stap_hint};
  n.line = r->line;
  n.to = best;
  r->notes.push_back(n);
  r->move_statement(best);
  return true;
}

// A statement probe stap still refuses for want of a line record (none hinted, or the hint led to a
// line that has none either: stap's hints then bounce between two lines): the line has no code of
// its own, which is what happens to the lines of an inline function, folded into each caller. Says
// so, and where the function's code is: its inlined copies, and the functions stap says they sit in
// (modules' copies are named <module:function+offset>; vmlinux's only _stext+offset).
void explain_no_line_record(const CheckOptions& opts, const Resolution& r, int picked,
                            Diag* error) {
  // The C function around the line (the probes may name "*", every function holding it).
  const std::string& function = r.source_function.empty() ? r.function : r.source_function;
  if (r.kind != TargetKind::statement || function.empty() || function == "*") return;
  ProbeTarget copies_of{PointKind::function, r.module, function, r.file, 0, Suffix::inline_};
  error->note("line " + std::to_string(picked) +
              " has no code of its own: stap finds no line record for it " +
              "(an inline function's lines are folded into the code of its callers)");
  RunResult inl = elaborate(opts, {copies_of.render()});
  int copies = 0;
  std::vector<std::string> callers;
  for (size_t at = inl.output.find(".inline /* pc="); at != std::string::npos;
       at = inl.output.find(".inline /* pc=", at + 1)) {
    ++copies;
    size_t lt = at + 14;
    if (lt >= inl.output.size() || inl.output[lt] != '<') continue;
    size_t end = inl.output.find_first_of("+>", lt);
    std::string where = inl.output.substr(lt + 1, end == std::string::npos ? 0 : end - lt - 1);
    where = where.substr(where.find(':') == std::string::npos ? 0 : where.find(':') + 1);
    if (!where.empty() && std::find(callers.begin(), callers.end(), where) == callers.end())
      callers.push_back(where);
  }
  if (!ok(inl) || copies == 0) {
    error->note("probe a line of a function that calls " + function + " instead");
    return;
  }
  std::string names;
  for (size_t i = 0; i < callers.size() && i < 8; ++i) names += (i ? ", " : "") + callers[i];
  if (callers.size() > 8) names += ", ...";
  error->note(function + " is inlined " + std::to_string(copies) +
              (copies == 1 ? " time" : " times") + (names.empty() ? "" : " (into " + names + ")") +
              ": probe those copies with " + copies_of.point() + ", or a line of a caller");
}

}  // namespace

bool check_outcomes(const CheckOptions& opts, std::vector<Outcome>* outcomes, Diag* err) {
  std::vector<Probe> all;
  for (const auto& o : *outcomes)
    if (o.resolution)
      for (const auto& p : o.resolution->probes()) all.push_back(p);
  if (all.empty()) return true;
  auto progress = [&](int step, int total, const std::string& what) {
    if (opts.progress) opts.progress(step, total, what);
  };
  int located = 0;
  for (const auto& o : *outcomes) located += o.resolution ? 1 : 0;
  progress(0, 0,
           "checking " + std::to_string(located) + (located == 1 ? " location" : " locations") +
               " with stap -p2");
  RunResult r = elaborate(opts, all);
  if (!r.ran) {
    *err = Diag::error(Exit::unavailable,
                       "cannot run " + opts.stap + " for --check: " + std::strerror(errno));
    return false;
  }
  if (ok(r)) return true;
  // stap refused the whole: each location alone, to say which (about as long as the first run
  // each).
  int step = 0;
  for (auto& o : *outcomes) {
    if (!o.resolution) continue;
    progress(++step, located, "checking " + o.resolution->file + ":" + o.resolution->function);
    RunResult one = elaborate(opts, o.resolution->probes());
    if (ok(one)) continue;
    const int picked = o.resolution->line;
    if (move_to_hint(&*o.resolution, one.output)) {
      one = elaborate(opts, o.resolution->probes());
      if (ok(one)) continue;
    }
    const Resolution& res = *o.resolution;
    o.error = Diag::error_at(Exit::failure, res.file, res.line,
                             "stap -p2 does not accept the probes for " + res.function);
    for (const auto& line : error_lines(one.output)) o.error.note(line);
    if (one.output.find("no line records for") != std::string::npos)
      explain_no_line_record(opts, res, picked, &o.error);
    o.resolution.reset();
  }
  return true;
}

}  // namespace sa::addprobe
