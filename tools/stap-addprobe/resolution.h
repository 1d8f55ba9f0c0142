// SPDX-License-Identifier: GPL-2.0-or-later
// The typed result of resolving one location: the probe targets (kind, module, symbol, file, line,
// suffix) and the notes that explain them, as values. Every step of the pipeline (rules, DWARF,
// --check) reads and changes these fields; nothing is rendered to text until the report, and no
// step ever parses or patches rendered text. Rendering (point(), Note::message()) lives in
// resolution.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag.h"

namespace sa::addprobe {

// A probe statement as it appears in a script: the rendered form, which script_edit compares and
// writes. Made from a ProbeTarget by render(), never the other way round.
struct Probe {
  std::string point;  // kernel.function("x@f").call
  std::string body;   // trace_call()
  std::string text() const { return "probe " + point + " { " + body + " }"; }
};

enum class PointKind { function, statement, literal };
enum class Suffix { none, call, return_, inline_ };

struct ProbeTarget {
  PointKind kind = PointKind::function;
  std::string module;  // "" = vmlinux
  std::string symbol;  // the function the point names; "*" = every function holding the line
  std::string file;    // @FILE as DWARF spells it, relative to the tree
  int line = 0;        // statement probes
  Suffix suffix = Suffix::none;
  std::string literal;  // PointKind::literal: a point as the user wrote it (--remove)
  std::string body;     // the probe's handler

  std::string point()
      const;  // kernel.statement("f@fs/open.c:12"), module("m").function("f@x.c").call
  Probe render() const { return {point(), body}; }
};

// What the probes of a resolution are, for the report (--json "kind") and the later steps.
enum class TargetKind { function, inline_function, statement, point };
const char* kind_name(TargetKind k);  // "function", "inline", "statement", "point"

// Why a resolution is what it is. Each kind has one wording (Note::message) and one severity.
enum class NoteKind {
  macro_symbol,  // symbol is made by `text` (SYSCALL_DEFINE3) around `function`: probing `symbol`
  syscall_entries,   // entries on `symbol` (__se_sys_x), exits on `text` (and `other`)
  inlined,           // warning: `symbol` inlined (`text` says why); probing .inline copies
  part_clone,        // warning: `symbol`'s only out-of-line copy is the clone `other`: .inline
  no_return,         // warning: stap refuses .return on `symbol`
  module_init_exit,  // warning: `symbol` is in `other` (.init.text/.exit.text) of `binary`
  snapped_to_code,   // line `line` cannot hold code; probing `to`, the next likely code line of
                     // `function`
  snapped_to_end,    // same, to the end of `function`
  dwarf_has_record,  // line `line` has a line record in `binary`: probing it
  dwarf_moved,       // line `line` (and `also`) has no line record in `binary`: probing `to`
  every_copy,        // `function` has no out-of-line copy: the point names every function (*@)
  line_in_copies,    // line `line` has no record in `function`'s out-of-line copy, only in its
                     // inlined copies: the point names every function (*@)
  unverified,        // no DWARF: the line is probed as picked, not checked against line records
  stap_hint,         // --check: stap had no record for `line`; probing `to`, as it suggests
  copies_elsewhere,  // stap refuses `symbol` (`text` says why), but its copies inlined into
                     // `other` are code stap probes: probing those (statements: line `line`, or
                     // `to`, the next line with such code, as *@FILE:LINE)
};

struct Note {
  NoteKind kind;
  int line = 0, to = 0, also = 0;
  std::string function, symbol, other, text, binary;
  std::string file;  // where a warning points (tree-relative); notes print without a location

  Severity severity() const;
  std::string message() const;
};

struct Resolution {
  std::string input;            // the location as the user wrote it
  std::string source_function;  // the function libclang found around the pick
  std::string function;         // the symbol the probes name
  std::string file;             // relative to the tree
  int line = 0;                 // the probed line (statement) or the function's first line
  int picked_line = 0;          // statement: the line picked, before any move
  int function_body = 0;        // the line of the function's '{'
  int function_end = 0;         // the last line of the function
  std::string module;           // empty for vmlinux
  TargetKind kind = TargetKind::function;
  bool line_verified = false;  // statement: the line table of a known build confirmed the line
  // stap refuses the function by its own name or section, but decides by the function holding
  // each address: its inlined copies are code of their callers, which may be probed. Only the
  // DWARF step can tell (it clears this when they are); while set, this error is the answer.
  std::optional<Diag> refusal;
  std::vector<ProbeTarget> targets;
  std::vector<Note> notes;

  // A statement probe moves to another line of its function.
  void move_statement(int to);
  void drop_notes(NoteKind k);
  bool has_note(NoteKind k) const;

  std::vector<Probe> probes() const;            // rendered
  std::vector<Diag> diagnostics() const;        // the notes, to print
  std::vector<std::string> note_texts() const;  // the notes, for --json
};

}  // namespace sa::addprobe
