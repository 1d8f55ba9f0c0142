// SPDX-License-Identifier: GPL-2.0-or-later
// Rendering of the typed resolution: probe points and note wordings, the one place either becomes
// text.
#include "resolution.h"

#include <fmt/format.h>

#include <algorithm>

namespace sa::addprobe {

std::string ProbeTarget::point() const {
  if (kind == PointKind::literal) return literal;
  std::string prefix = module.empty() ? "kernel" : fmt::format("module(\"{}\")", module);
  std::string where = kind == PointKind::statement ? fmt::format("{}@{}:{}", symbol, file, line)
                                                   : fmt::format("{}@{}", symbol, file);
  const char* what = kind == PointKind::statement ? "statement" : "function";
  const char* suffix_text = "";
  switch (suffix) {
    case Suffix::none:
      break;
    case Suffix::call:
      suffix_text = ".call";
      break;
    case Suffix::return_:
      suffix_text = ".return";
      break;
    case Suffix::inline_:
      suffix_text = ".inline";
      break;
  }
  return fmt::format("{}.{}(\"{}\"){}", prefix, what, where, suffix_text);
}

const char* kind_name(TargetKind k) {
  switch (k) {
    case TargetKind::function:
      return "function";
    case TargetKind::inline_function:
      return "inline";
    case TargetKind::statement:
      return "statement";
    case TargetKind::point:
      return "point";
  }
  return "function";
}

Severity Note::severity() const {
  switch (kind) {
    case NoteKind::inlined:
    case NoteKind::part_clone:
    case NoteKind::no_return:
    case NoteKind::module_init_exit:
      return Severity::warning;
    default:
      return Severity::note;
  }
}

std::string Note::message() const {
  switch (kind) {
    case NoteKind::macro_symbol:
      return fmt::format("{} is made by {}; probing {}", function, text, symbol);
    case NoteKind::syscall_entries:
      return fmt::format(
          "entries on {} (inlined into the stubs; its parameters are the syscall's arguments as "
          "longs), exits on {}{}",
          symbol, text, other.empty() ? "" : " and " + other);
    case NoteKind::inlined:
      return fmt::format(
          "{}; probing its inlined copies with .inline (there is no .return, and a .call probe "
          "would never fire)",
          text);
    case NoteKind::part_clone:
      return fmt::format(
          "{} has no out-of-line copy of its own, only the partial clone {} (gcc split it and "
          "inlined the rest); probing its inlined copies with .inline (there is no .return, and "
          "a .call probe would not match)",
          symbol, other);
    case NoteKind::no_return:
      return fmt::format("systemtap refuses .return probes on {}; probing its entries only",
                         symbol);
    case NoteKind::module_init_exit:
      return other.rfind(".exit.", 0) == 0
                 ? fmt::format(
                       "{} is in {} of {}: the probe fires only when the module is unloaded (its "
                       "exit code runs)",
                       symbol, other, binary)
                 : fmt::format(
                       "{} is in {} of {}: the probe fires only when the module is loaded (its "
                       "init code runs) after the script starts",
                       symbol, other, binary);
    case NoteKind::snapped_to_code:
      return fmt::format("line {} has no code; probing line {}, the next line with code in {}",
                         line, to, function);
    case NoteKind::snapped_to_end:
      return fmt::format("line {} has no code; probing line {}, the end of {}", line, to, function);
    case NoteKind::dwarf_has_record:
      return fmt::format("line {} has a line record in the DWARF of {}; probing it", line, binary);
    case NoteKind::dwarf_moved:
      return fmt::format(
          "line {}{} has no line record in the DWARF of {} that stap can probe (its code was "
          "optimized away or merged into another line, is in a partial clone, or is vmlinux's "
          "init code); probing "
          "line {}, the next line of {} that has one",
          line, also ? fmt::format(" (and {})", also) : "", binary, to, function);
    case NoteKind::every_copy:
      return fmt::format(
          "{} has no out-of-line copy in {}: the statement probe names every function holding "
          "the line (*@{})",
          function, binary, file);
    case NoteKind::line_in_copies:
      return fmt::format(
          "line {} has no code in the out-of-line copy of {} in {}, only in its inlined copies: "
          "the statement probe names every function holding the line (*@{})",
          line, function, binary, file);
    case NoteKind::unverified:
      return fmt::format(
          "line {} is probed as picked, unverified: without -r there are no line records to check "
          "it against (stap -p2 or --check -r DIR tells)",
          line);
    case NoteKind::copies_elsewhere:
      if (line && line == to)
        return fmt::format(
            "{}; but line {} also has code inlined into {}, which systemtap probes: the statement "
            "probe names the functions holding it (*@{})",
            text, line, other, file);
      return line ? fmt::format(
                        "{}; probing line {}, the next line from {} with code inlined into a "
                        "function systemtap probes ({}): the statement probe names the functions "
                        "holding it (*@{})",
                        text, to, line, other, file)
                  : fmt::format(
                        "{}; but its copies inlined into other functions are their code, which "
                        "systemtap probes",
                        text);
    case NoteKind::stap_hint:
      return fmt::format(
          "stap has no line record for line {}; probing line {} instead, as it suggests", line, to);
  }
  return "";
}

void Resolution::move_statement(int to) {
  for (auto& t : targets)
    if (t.kind == PointKind::statement) t.line = to;
  line = to;
}

void Resolution::drop_notes(NoteKind k) {
  notes.erase(
      std::remove_if(notes.begin(), notes.end(), [k](const Note& n) { return n.kind == k; }),
      notes.end());
}

bool Resolution::has_note(NoteKind k) const {
  return std::any_of(notes.begin(), notes.end(), [k](const Note& n) { return n.kind == k; });
}

std::vector<Probe> Resolution::probes() const {
  std::vector<Probe> out;
  for (const auto& t : targets) out.push_back(t.render());
  return out;
}

std::vector<Diag> Resolution::diagnostics() const {
  std::vector<Diag> out;
  for (const auto& n : notes) {
    Diag d;
    if (n.severity() == Severity::warning) {
      d = Diag::warning_at(n.file, n.line, n.message());
    } else {
      d.severity = Severity::note;
      d.message = n.message();
    }
    out.push_back(d);
  }
  return out;
}

std::vector<std::string> Resolution::note_texts() const {
  std::vector<std::string> out;
  for (const auto& n : notes) out.push_back(n.message());
  return out;
}

}  // namespace sa::addprobe
