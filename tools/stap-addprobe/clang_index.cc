// SPDX-License-Identifier: GPL-2.0-or-later
// The one file of stap-addprobe that talks to libclang (see clang_index.h for what it computes).
//
// Loading: the executable does not link libclang. The first index() call dlopen()s libclang-14.so.1
// and resolves each function through dlsym into the Api table below, so a process served by the
// extents cache never maps the library (its load and relocation cost ~37 ms here). Headers are
// included only for the types.
//
// Ownership: every libclang object is owned by a small RAII holder (Index, Unit, Tokens, CXString
// via take()), so no early return leaks. Strings from clang_getCString are copied before disposal.
//
// Code lines. The body's tokens, minus preprocessor directive lines and #if-skipped lines, are cut
// into statements at ';', '{' and '}' at parenthesis depth 0 (a '{' after '=' opens an initializer,
// not a block). A statement is "no code" when it is a declaration without initializer (starts with
// a type keyword, or `IDENT IDENT`/`IDENT *`, no '(' at depth 0, and no initializer or one without
// lowercase names, i.e. a constant GCC folds away) or a static local; so are jumps (goto, break,
// continue), returns without a call but the last (`return -EINVAL;` becomes part of the epilogue),
// labels
// (`out:`, `case X:`, `default:`) and a leading `else`/`do`. A control header (`if (...)`) is code
// and ends its statement. A line holds code when a statement with code starts on it: continuation
// lines of a statement do not (GCC gives them no line record as often as not, which stap refuses).
// Blank, comment and brace-only lines never hold code.
#include "clang_index.h"

#include <clang-c/Index.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace sa::addprobe {
namespace {

// One X(NAME) a line: clang-format folds a macro list into a staircase.
// clang-format off
#define SA_CLANG_FUNCTIONS(X) \
  X(clang_createIndex) \
  X(clang_disposeIndex) \
  X(clang_parseTranslationUnit2) \
  X(clang_disposeTranslationUnit) \
  X(clang_getTranslationUnitCursor) \
  X(clang_visitChildren) \
  X(clang_getCursorKind) \
  X(clang_getCursorExtent) \
  X(clang_getCursorLocation) \
  X(clang_getCursorSpelling) \
  X(clang_getCString) \
  X(clang_disposeString) \
  X(clang_getExpansionLocation) \
  X(clang_getSpellingLocation) \
  X(clang_getRangeStart) \
  X(clang_getRangeEnd) \
  X(clang_getFile) \
  X(clang_File_isEqual) \
  X(clang_getLocationForOffset) \
  X(clang_getRange) \
  X(clang_tokenize) \
  X(clang_disposeTokens) \
  X(clang_getTokenKind) \
  X(clang_getTokenSpelling) \
  X(clang_getTokenLocation) \
  X(clang_getSkippedRanges) \
  X(clang_disposeSourceRangeList) \
  X(clang_getNumDiagnostics) \
  X(clang_getDiagnostic) \
  X(clang_getDiagnosticSeverity) \
  X(clang_formatDiagnostic) \
  X(clang_disposeDiagnostic) \
  X(clang_Cursor_getStorageClass) \
  X(clang_Cursor_isFunctionInlined) \
  X(clang_getFileContents)
// clang-format on

struct Api {
#define SA_FIELD(name) decltype(&::name) name = nullptr;
  SA_CLANG_FUNCTIONS(SA_FIELD)
#undef SA_FIELD
};

Api* g_api = nullptr;

Api* load_api(Diag* err) {
  if (g_api) return g_api;
  const char* names[] = {"libclang-14.so.1", "libclang-14.so", "libclang.so.1"};
  void* handle = nullptr;
  std::string last_error;
  for (const char* n : names) {
    handle = dlopen(n, RTLD_NOW | RTLD_LOCAL);
    if (handle) break;
    if (const char* e = dlerror()) last_error = e;
  }
  if (!handle) {
    *err = Diag::error(Exit::unavailable, "cannot load libclang: " + last_error);
    err->note("install libclang1-14 (scripts/setup-debian.sh)");
    return nullptr;
  }
  static Api api;
#define SA_LOAD(name)                                                              \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));            \
  if (!api.name) {                                                                 \
    *err = Diag::error(Exit::unavailable, std::string("libclang lacks ") + #name); \
    return nullptr;                                                                \
  }
  SA_CLANG_FUNCTIONS(SA_LOAD)
#undef SA_LOAD
  g_api = &api;
  return g_api;
}

std::string take(const Api& a, CXString s) {
  const char* c = a.clang_getCString(s);
  std::string out = c ? c : "";
  a.clang_disposeString(s);
  return out;
}

struct Loc {
  CXFile file = nullptr;
  unsigned line = 0, column = 0, offset = 0;
};

Loc expansion(const Api& a, CXSourceLocation l) {
  Loc r;
  a.clang_getExpansionLocation(l, &r.file, &r.line, &r.column, &r.offset);
  return r;
}

Loc spelling(const Api& a, CXSourceLocation l) {
  Loc r;
  a.clang_getSpellingLocation(l, &r.file, &r.line, &r.column, &r.offset);
  return r;
}

struct Tok {
  std::string text;
  CXTokenKind kind;
  unsigned line;
  unsigned offset;
};

// A function definition candidate in the target file, before its body is located.
struct Candidate {
  std::string name;
  bool is_static = false, is_inline = false, in_macro = false;
  unsigned name_offset = 0;  // expansion offset of the name: the macro invocation when in_macro
  unsigned name_line = 0;
  unsigned start_line = 0;
  unsigned start_offset = 0;
  unsigned scan_from = 0;  // offset after which the body's '{' is looked for
  unsigned group_key = 0;  // expansion offset of the macro invocation (in_macro only)
  bool knr = false;        // K&R parameter declarations follow the declarator
};

struct VisitState {
  const Api* api;
  CXFile target;
  std::vector<Candidate> out;
};

CXChildVisitResult visit_params(CXCursor c, CXCursor, CXClientData data) {
  auto* st = static_cast<std::pair<const Api*, unsigned>*>(data);
  if (st->first->clang_getCursorKind(c) == CXCursor_ParmDecl) {
    Loc end =
        expansion(*st->first, st->first->clang_getRangeEnd(st->first->clang_getCursorExtent(c)));
    st->second = std::max(st->second, end.offset);
  }
  return CXChildVisit_Continue;
}

CXChildVisitResult visit_top(CXCursor c, CXCursor, CXClientData data) {
  auto* st = static_cast<VisitState*>(data);
  const Api& a = *st->api;
  if (a.clang_getCursorKind(c) != CXCursor_FunctionDecl) return CXChildVisit_Continue;
  CXSourceLocation name_loc = a.clang_getCursorLocation(c);
  Loc where = expansion(a, name_loc);
  if (!where.file || !a.clang_File_isEqual(where.file, st->target)) return CXChildVisit_Continue;
  CXSourceRange ext = a.clang_getCursorExtent(c);
  Loc start = expansion(a, a.clang_getRangeStart(ext));
  Loc end = expansion(a, a.clang_getRangeEnd(ext));
  Candidate cand;
  cand.name = take(a, a.clang_getCursorSpelling(c));
  cand.is_static = a.clang_Cursor_getStorageClass(c) == CX_SC_Static;
  cand.is_inline = a.clang_Cursor_isFunctionInlined(c) != 0;
  cand.name_offset = where.offset;
  cand.start_line = start.line;
  cand.start_offset = start.offset;
  cand.name_line = where.line;
  std::pair<const Api*, unsigned> params{&a, 0};
  a.clang_visitChildren(c, visit_params, &params);
  cand.scan_from = end.offset;
  if (params.second > end.offset) {
    cand.knr = true;
    cand.scan_from = params.second;
  }
  st->out.push_back(std::move(cand));
  return CXChildVisit_Continue;
}

bool is_punct(const Tok& t, const char* s) { return t.kind == CXToken_Punctuation && t.text == s; }

bool is_type_word(const std::string& s) {
  static const std::set<std::string> words = {
      "struct",   "union", "enum",   "const",      "volatile", "unsigned", "signed", "int",
      "long",     "short", "char",   "_Bool",      "bool",     "void",     "float",  "double",
      "register", "auto",  "typeof", "__typeof__", "__typeof", "extern"};
  return words.count(s) > 0;
}

// Marks in `code` (a set of lines) the lines of body tokens [first, last) that hold code, and in
// `maybe` every line that MAY hold code: each line of every statement except declarations without
// an initializer and static locals (a jump, a `return x;`, a declaration with an initializer, a
// continuation line may all get a line record). Returns true when the body does nothing (no code,
// and returns of constants only).
bool classify_body(const std::vector<Tok>& toks, size_t first, size_t last,
                   std::set<unsigned>* code, std::set<unsigned>* maybe) {
  std::set<unsigned> returns;  // lines of returns without a call (see the end)
  bool constant_returns = true;
  size_t i = first;
  while (i < last) {
    // Skip delimiters and statement prefixes that carry no code.
    const Tok& t = toks[i];
    if (is_punct(t, "{") || is_punct(t, "}") || is_punct(t, ";")) {
      ++i;
      continue;
    }
    if (t.kind == CXToken_Keyword && (t.text == "else" || t.text == "do")) {
      ++i;
      continue;
    }
    // A label: `case ...:`, `default:`, `IDENT:` (not `IDENT::`, which C lacks anyway).
    if (t.kind == CXToken_Keyword && (t.text == "case" || t.text == "default")) {
      size_t j = i + 1;
      int depth = 0;
      while (j < last && !(depth == 0 && is_punct(toks[j], ":"))) {
        if (is_punct(toks[j], "(")) ++depth;
        if (is_punct(toks[j], ")")) --depth;
        ++j;
      }
      i = j + 1;
      continue;
    }
    if (t.kind == CXToken_Identifier && i + 1 < last && is_punct(toks[i + 1], ":")) {
      i += 2;
      continue;
    }
    const Tok& head = toks[i];
    // A control header (`if (...)`, `while (...)`, `for (...)`, `switch (...)`) is code on its
    // line; what follows its ')' is a statement of its own, often on the next line and without
    // braces.
    if (head.kind == CXToken_Keyword && (head.text == "if" || head.text == "while" ||
                                         head.text == "for" || head.text == "switch")) {
      code->insert(head.line);
      size_t k = i + 1;
      for (int d = 0; k < last; ++k) {
        if (is_punct(toks[k], "(")) ++d;
        if (is_punct(toks[k], ")") && --d == 0) break;
      }
      for (size_t m = i; m <= k && m < last; ++m) maybe->insert(toks[m].line);
      i = k + 1;
      continue;
    }
    // One statement: up to ';', or a block '{' / '}' at depth 0.
    size_t j = i;
    int paren = 0, init_braces = 0;
    bool has_assign = false, has_call = false, names_after_assign = false, names = false;
    for (; j < last; ++j) {
      const Tok& u = toks[j];
      if (j > i && u.kind == CXToken_Identifier && u.text != "false" && u.text != "true" &&
          std::any_of(u.text.begin(), u.text.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        names = true;
      if (has_assign && u.kind == CXToken_Identifier &&
          std::any_of(u.text.begin(), u.text.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        names_after_assign = true;
      if (u.kind == CXToken_Punctuation) {
        if (u.text == "(" || u.text == "[") {
          if (u.text == "(" && paren == 0 && init_braces == 0) has_call = true;
          ++paren;
        } else if (u.text == ")" || u.text == "]") {
          --paren;
        } else if (paren == 0 && u.text == "=" && init_braces == 0) {
          has_assign = true;
        } else if (paren == 0 && u.text == "{") {
          if (has_assign || init_braces > 0) {
            ++init_braces;
            continue;
          }
          break;
        } else if (paren == 0 && u.text == "}") {
          if (init_braces > 0) {
            --init_braces;
            continue;
          }
          break;
        } else if (paren == 0 && init_braces == 0 && u.text == ";") {
          break;
        }
      }
    }
    bool decl_like = (head.kind == CXToken_Keyword && is_type_word(head.text)) ||
                     (head.kind == CXToken_Identifier && i + 1 < j &&
                      (toks[i + 1].kind == CXToken_Identifier || is_punct(toks[i + 1], "*")));
    bool no_code = false;
    if (head.kind == CXToken_Keyword && head.text == "static") {
      no_code = true;  // static locals are initialised at compile time
    } else if (head.kind == CXToken_Keyword &&
               (head.text == "goto" || head.text == "break" || head.text == "continue")) {
      no_code = true;  // a jump: GCC folds it into the branch before it
    } else if (head.kind == CXToken_Keyword && head.text == "return" && !has_call) {
      no_code = true;  // `return x;`, `return -EINVAL;`: a register move merged into the epilogue
      returns.insert(head.line);
      if (names) constant_returns = false;
    } else if (decl_like && !has_call) {
      no_code = !has_assign || !names_after_assign;  // no initializer, or a constant one
    }
    // Only the statement's first line: its continuation lines have no line record of their own
    // as often as not, and a probe there would not be where the statement starts.
    if (!no_code) code->insert(head.line);
    bool certainly_none = (head.kind == CXToken_Keyword && head.text == "static") ||
                          (decl_like && !has_assign && !has_call);
    if (!certainly_none)
      for (size_t m = i; m <= j && m < last; ++m) maybe->insert(toks[m].line);
    i = j;  // the delimiter is skipped at the loop's top
  }
  bool trivial = code->empty() && constant_returns;
  // ...except the function's last return: the epilogue's line record is on it as often as on the
  // '}'.
  if (!returns.empty() && (code->empty() || *returns.rbegin() > *code->rbegin()))
    code->insert(*returns.rbegin());
  return trivial;
}

class ClangIndexer : public SourceIndexer {
 public:
  std::optional<FileIndex> index(const ParseRequest& req, Diag* err) override;
};

std::optional<FileIndex> ClangIndexer::index(const ParseRequest& req, Diag* err) {
  const Api* ap = load_api(err);
  if (!ap) return std::nullopt;
  const Api& a = *ap;

  struct Index {
    const Api& a;
    CXIndex p;
    ~Index() { a.clang_disposeIndex(p); }
  } index{a, a.clang_createIndex(0, 0)};

  std::vector<const char*> argv;
  for (const auto& s : req.args) argv.push_back(s.c_str());
  std::vector<CXUnsavedFile> unsaved;
  for (const auto& [path, text] : req.unsaved)
    unsaved.push_back(
        CXUnsavedFile{path.c_str(), text.data(), static_cast<unsigned long>(text.size())});
  unsigned flags = CXTranslationUnit_SkipFunctionBodies |
                   CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_KeepGoing |
                   CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
  CXTranslationUnit tu_raw = nullptr;
  CXErrorCode rc = a.clang_parseTranslationUnit2(
      index.p, req.main_file.c_str(), argv.data(), static_cast<int>(argv.size()),
      unsaved.empty() ? nullptr : unsaved.data(), static_cast<unsigned>(unsaved.size()), flags,
      &tu_raw);
  if (rc != CXError_Success || !tu_raw) {
    *err = Diag::error_at(Exit::no_input, req.main_file, 0,
                          "libclang could not parse this file (error " + std::to_string(rc) + ")");
    return std::nullopt;
  }
  struct Unit {
    const Api& a;
    CXTranslationUnit p;
    ~Unit() { a.clang_disposeTranslationUnit(p); }
  } tu{a, tu_raw};

  FileIndex out;
  unsigned ndiag = a.clang_getNumDiagnostics(tu.p);
  for (unsigned i = 0; i < ndiag; ++i) {
    CXDiagnostic d = a.clang_getDiagnostic(tu.p, i);
    if (a.clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
      ++out.errors;
      if (out.first_errors.size() < 5)
        out.first_errors.push_back(
            take(a, a.clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation)));
    }
    a.clang_disposeDiagnostic(d);
  }

  CXFile target = a.clang_getFile(tu.p, req.target_file.c_str());
  if (!target) {
    *err = Diag::error_at(Exit::data_error, req.target_file, 0,
                          "this file is not part of the translation unit of " + req.main_file);
    return std::nullopt;
  }

  // #if-skipped ranges of the target file.
  std::set<unsigned> skipped_lines;
  if (CXSourceRangeList* list = a.clang_getSkippedRanges(tu.p, target)) {
    for (unsigned i = 0; i < list->count; ++i) {
      Loc b = expansion(a, a.clang_getRangeStart(list->ranges[i]));
      Loc e = expansion(a, a.clang_getRangeEnd(list->ranges[i]));
      out.skipped.emplace_back(static_cast<int>(b.line), static_cast<int>(e.line));
      for (unsigned l = b.line; l <= e.line; ++l) skipped_lines.insert(l);
    }
    a.clang_disposeSourceRangeList(list);
  }

  // All tokens of the target file, minus directive lines and skipped lines.
  size_t size = 0;
  a.clang_getFileContents(tu.p, target, &size);
  CXSourceRange whole =
      a.clang_getRange(a.clang_getLocationForOffset(tu.p, target, 0),
                       a.clang_getLocationForOffset(tu.p, target, static_cast<unsigned>(size)));
  CXToken* raw = nullptr;
  unsigned nraw = 0;
  a.clang_tokenize(tu.p, whole, &raw, &nraw);
  std::vector<Tok> toks;
  toks.reserve(nraw);
  unsigned directive_line = 0;
  for (unsigned i = 0; i < nraw; ++i) {
    CXTokenKind kind = a.clang_getTokenKind(raw[i]);
    if (kind == CXToken_Comment) continue;
    Loc l = spelling(a, a.clang_getTokenLocation(tu.p, raw[i]));
    if (skipped_lines.count(l.line)) continue;
    std::string text = take(a, a.clang_getTokenSpelling(tu.p, raw[i]));
    bool line_start = toks.empty() || toks.back().line != l.line;
    if (line_start && kind == CXToken_Punctuation && text == "#") directive_line = l.line;
    if (l.line == directive_line) continue;
    toks.push_back(Tok{std::move(text), kind, l.line, l.offset});
  }
  if (raw) a.clang_disposeTokens(tu.p, raw, nraw);

  VisitState st{&a, target, {}};
  a.clang_visitChildren(a.clang_getTranslationUnitCursor(tu.p), visit_top, &st);

  auto first_token_at = [&](unsigned offset) {
    return std::lower_bound(toks.begin(), toks.end(), offset,
                            [](const Tok& t, unsigned o) { return t.offset < o; }) -
           toks.begin();
  };

  // A function made by a macro has, at its name's expansion location, the macro's name instead of
  // its own. Such functions are grouped by invocation: only the last one owns the body written
  // after it.
  std::map<unsigned, std::vector<size_t>> groups;
  for (size_t i = 0; i < st.out.size(); ++i) {
    Candidate& c = st.out[i];
    size_t k = static_cast<size_t>(first_token_at(c.name_offset));
    c.in_macro = k >= toks.size() || toks[k].offset != c.name_offset || toks[k].text != c.name;
    if (!c.in_macro) continue;
    c.group_key = c.name_offset;
    c.scan_from = c.name_offset;  // the macro's name; its arguments are skipped as one (...) group
    c.start_line = c.name_line;
    c.knr = false;
    groups[c.group_key].push_back(i);
  }

  // The token range of a macro invocation, from the macro's name to its closing ')' (the name
  // alone for an object-like macro).
  auto invocation = [&](const Candidate& c) {
    size_t name = static_cast<size_t>(first_token_at(c.scan_from));
    size_t last = name;
    if (name + 1 < toks.size() && is_punct(toks[name + 1], "(")) {
      int depth = 0;
      for (size_t k = name + 1; k < toks.size(); ++k) {
        if (is_punct(toks[k], "(")) ++depth;
        if (is_punct(toks[k], ")") && --depth == 0) {
          last = k;
          break;
        }
      }
    }
    return std::make_pair(name, last);
  };
  std::set<std::pair<std::string, unsigned>> seen;
  auto add_function = [&](FunctionInfo f) {
    if (seen.insert({f.name, static_cast<unsigned>(f.body_line)}).second)
      out.functions.push_back(std::move(f));
  };
  for (size_t ci = 0; ci < st.out.size(); ++ci) {
    const Candidate& c = st.out[ci];
    std::vector<std::string> companions;
    if (c.in_macro) {
      // A macro that defines whole functions, bodies included (sysfs show functions, a driver's
      // module init/exit pair, interval-tree helpers): gcc gives their code the lines of the
      // invocation, so each is a function of those lines. (libclang 14 with skipped bodies cannot
      // tell such a function from a prototype the same macro declares: both are kept.) Otherwise
      // the body written after the invocation belongs to the group's last function
      // (SYSCALL_DEFINEn).
      auto [name, last] = invocation(c);
      if (name < toks.size() && (last + 1 >= toks.size() || !is_punct(toks[last + 1], "{"))) {
        // A name passed in as an argument is a redeclaration of a function written elsewhere
        // (EXPORT_SYMBOL(f) declares f again), not one the macro makes.
        bool argument = false;
        for (size_t k = name + 1; k <= last && !argument; ++k) argument = toks[k].text == c.name;
        if (argument) continue;
        FunctionInfo f;
        f.name = c.name;
        f.start_line = f.body_line = static_cast<int>(toks[name].line);
        f.end_line = static_cast<int>(toks[last].line);
        f.is_static = c.is_static;
        f.is_inline = c.is_inline;
        f.macro = toks[name].text;
        for (int l = f.start_line; l <= f.end_line; ++l) {
          f.code_lines.push_back(l);
          f.token_lines.push_back(l);
        }
        add_function(std::move(f));
        continue;
      }
      const auto& g = groups[c.group_key];
      if (g.back() != ci) continue;
      for (size_t k : g)
        if (st.out[k].name != c.name &&
            std::find(companions.begin(), companions.end(), st.out[k].name) == companions.end())
          companions.push_back(st.out[k].name);
    }
    size_t i = static_cast<size_t>(first_token_at(c.scan_from));
    if (c.in_macro && i < toks.size()) ++i;  // past the macro's name
    int paren = 0;
    size_t open = toks.size();
    for (; i < toks.size(); ++i) {
      const Tok& t = toks[i];
      if (is_punct(t, "(") || is_punct(t, "[")) {
        ++paren;
        continue;
      }
      if (is_punct(t, ")") || is_punct(t, "]")) {
        --paren;
        if (c.in_macro && paren == 0) {  // the invocation ends here: the body must follow at once
          if (i + 1 < toks.size() && is_punct(toks[i + 1], "{")) open = i + 1;
          break;
        }
        continue;
      }
      if (paren > 0) continue;
      if (is_punct(t, "{")) {
        open = i;
        break;
      }
      if (is_punct(t, ";") && !c.knr) break;
      if (is_punct(t, "=") || is_punct(t, "}")) break;
    }
    if (open >= toks.size()) continue;
    int depth = 0;
    size_t close = open;
    for (; close < toks.size(); ++close) {
      if (is_punct(toks[close], "{")) ++depth;
      if (is_punct(toks[close], "}") && --depth == 0) break;
    }
    if (close >= toks.size()) continue;
    FunctionInfo f;
    f.name = c.name;
    f.start_line = static_cast<int>(c.start_line);
    f.body_line = static_cast<int>(toks[open].line);
    f.end_line = static_cast<int>(toks[close].line);
    f.is_static = c.is_static;
    f.is_inline = c.is_inline;
    if (c.in_macro) f.macro = toks[static_cast<size_t>(first_token_at(c.scan_from))].text;
    f.companions = std::move(companions);
    static const std::set<std::string> marker_words = {
        "__init",  "__exit",    "__meminit",  "__ref",  "__always_inline", "noinline", "notrace",
        "__sched", "__kprobes", "__noreturn", "__cold", "__weak",          "__naked",  "noinstr"};
    for (size_t k = static_cast<size_t>(first_token_at(c.in_macro ? c.scan_from : c.start_offset));
         k < open; ++k)
      if (toks[k].kind == CXToken_Identifier && marker_words.count(toks[k].text) &&
          std::find(f.markers.begin(), f.markers.end(), toks[k].text) == f.markers.end())
        f.markers.push_back(toks[k].text);
    std::set<unsigned> code, maybe;
    f.trivial = classify_body(toks, open + 1, close, &code, &maybe);
    for (unsigned l : code) f.code_lines.push_back(static_cast<int>(l));
    maybe.insert(toks[close].line);  // the closing brace: the epilogue's record is often there
    for (unsigned l : maybe) f.token_lines.push_back(static_cast<int>(l));
    add_function(std::move(f));
  }
  std::stable_sort(
      out.functions.begin(), out.functions.end(),
      [](const FunctionInfo& x, const FunctionInfo& y) { return x.start_line < y.start_line; });
  return out;
}

}  // namespace

std::unique_ptr<SourceIndexer> make_clang_indexer() { return std::make_unique<ClangIndexer>(); }

bool libclang_loaded() { return g_api != nullptr; }

const FunctionInfo* function_at_line(const FileIndex& idx, int line) {
  for (const auto& f : idx.functions)
    if (f.start_line <= line && line <= f.end_line) return &f;
  return nullptr;
}

const FunctionInfo* function_named(const FileIndex& idx, const std::string& name) {
  for (const auto& f : idx.functions)
    if (f.name == name) return &f;
  for (const auto& f : idx.functions)
    for (const auto& c : f.companions)
      if (c == name) return &f;
  return nullptr;
}

const FunctionInfo* nearest_function(const FileIndex& idx, int line) {
  const FunctionInfo* best = nullptr;
  int best_dist = 0;
  for (const auto& f : idx.functions) {
    int d = line < f.start_line ? f.start_line - line : line - f.end_line;
    if (!best || d < best_dist) {
      best = &f;
      best_dist = d;
    }
  }
  return best;
}

bool line_skipped(const FileIndex& idx, int line) {
  for (const auto& [b, e] : idx.skipped)
    if (b <= line && line <= e) return true;
  return false;
}

}  // namespace sa::addprobe
