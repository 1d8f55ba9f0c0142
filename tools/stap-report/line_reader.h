// SPDX-License-Identifier: GPL-2.0-or-later
// Reads a session file line by line with a fixed buffer, so that memory does not grow with the
// file.
//
// A session file is text that stap-logd made safe (share/log-format.md): valid UTF-8 with no
// control characters but TAB, every line ended by '\n'. Anything else is not a session file, or a
// damaged one, and is reported as a data error with its line number rather than guessed at:
//   - a NUL, another control character or bytes that are not UTF-8 ("binary data"),
//   - a line longer than kMaxLineBytes,
//   - a last line without its '\n' (the file was cut, or is still being written).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "diag.h"

namespace sa::report {

inline constexpr size_t kMaxLineBytes = 1 << 20;

class LineReader {
 public:
  // `path` "-" is standard input. Sets *err (no_input, io_error) and returns nullptr when it cannot
  // open.
  static std::unique_ptr<LineReader> open(const std::string& path, Diag* err);
  // Reads from an already open descriptor (tests, stdin); `name` is used in diagnostics.
  LineReader(int fd, std::string name, bool owns_fd);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n'. Returns false at the end of the input or on an error; then
  // failed() tells which, and *err holds the diagnostic. The view is valid until the next call.
  bool next(std::string_view* line, Diag* err);
  bool failed() const { return failed_; }
  uint64_t line_number() const { return line_no_; }
  const std::string& name() const { return name_; }

 private:
  bool fill(Diag* err);
  bool fail(Diag* err, Diag d);

  int fd_;
  std::string name_;
  bool owns_fd_;
  std::string buf_;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false;
  bool failed_ = false;
  uint64_t line_no_ = 0;
};

// Checks that a line is session text: no control character but TAB, valid UTF-8. Returns the byte
// offset of the first bad byte, or npos.
size_t find_binary(std::string_view line);

}  // namespace sa::report
