// SPDX-License-Identifier: GPL-2.0-or-later
#include "run.h"

#include <filesystem>
#include <memory>

#include "analyze.h"
#include "atomic_file.h"
#include "chrome.h"
#include "diff.h"
#include "error_chains.h"
#include "folded.h"
#include "line_reader.h"
#include "pairer.h"
#include "speedscope.h"
#include "summary.h"

namespace sa::report {

std::optional<std::string> report_session(const Options& o, Diag* err) {
  auto in = LineReader::open(o.session, err);
  if (!in) return std::nullopt;
  Pairer p;
  Summary summary;
  p.add_listener(&summary);
  std::unique_ptr<ErrorChains> errors;
  std::unique_ptr<Folded> folded;
  std::unique_ptr<ChromeTrace> chrome;
  std::unique_ptr<Speedscope> speedscope;
  if (o.output == Output::errors)
    p.add_listener((errors = std::make_unique<ErrorChains>(p.functions())).get());
  if (o.output == Output::folded)
    p.add_listener((folded = std::make_unique<Folded>(p.functions())).get());
  if (!o.chrome.empty())
    p.add_listener((chrome = std::make_unique<ChromeTrace>(p.functions())).get());
  if (!o.speedscope.empty())
    p.add_listener((speedscope = std::make_unique<Speedscope>(
                        p.functions(), std::filesystem::path(in->name()).filename().string()))
                       .get());
  if (!analyze(*in, p, err)) return std::nullopt;

  // tools/common/atomic_file.h's rules: temp file + rename, a symlink written through, never a
  // device, FIFO or folder.
  if (chrome && !write_file_atomic(o.chrome, chrome->text(), err)) return std::nullopt;
  if (speedscope && !write_file_atomic(o.speedscope, speedscope->text(), err)) return std::nullopt;
  switch (o.output) {
    case Output::json:
      return render_json(in->name(), p.counts(), p.functions(), summary);
    case Output::errors:
      return render_errors(in->name(), *errors);
    case Output::folded:
      return folded->text();
    default:
      return render_table(in->name(), p.counts(), p.functions(), summary);
  }
}

std::optional<std::string> report_diff(const std::string& old_path, const std::string& new_path,
                                       Diag* err) {
  auto in_old = LineReader::open(old_path, err);
  if (!in_old) return std::nullopt;
  auto in_new = LineReader::open(new_path, err);
  if (!in_new) return std::nullopt;
  Pairer p[2];
  Summary s[2];
  Sequences seq;
  LineReader* in[2] = {in_old.get(), in_new.get()};
  bool more[2] = {true, true};
  for (int i = 0; i < 2; ++i) {
    p[i].add_listener(&s[i]);
    p[i].add_listener(&seq.side(i));
  }
  // Side by side, a line of each in turn, so the comparison's queues stay short.
  while (more[0] || more[1]) {
    for (int i = 0; i < 2; ++i) {
      if (!more[i]) continue;
      Diag e;
      if (!analyze_line(*in[i], p[i], &e)) {
        if (!e.message.empty()) {
          *err = e;
          return std::nullopt;
        }
        more[i] = false;
        p[i].finish();
      }
    }
  }
  seq.finish();
  return render_diff(DiffInput{in_old->name(), &p[0].functions(), &s[0]},
                     DiffInput{in_new->name(), &p[1].functions(), &s[1]}, seq);
}

}  // namespace sa::report
