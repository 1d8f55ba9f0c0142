// SPDX-License-Identifier: GPL-2.0-or-later
// The session reader: read(2) into a buffer that grows only up to kMaxLineBytes. See line_reader.h.
#include "line_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sa::report {

namespace {
constexpr size_t kChunk = 1 << 20;
}

std::unique_ptr<LineReader> LineReader::open(const std::string& path, Diag* err) {
  if (path == "-") return std::make_unique<LineReader>(0, "<stdin>", false);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    *err = Diag::error_at(e == ENOENT || e == ENOTDIR ? Exit::no_input : Exit::io_error, path, 0,
                          std::string("cannot open: ") + std::strerror(e));
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    *err = Diag::error_at(Exit::no_input, path, 0, "is a directory, not a session file");
    return nullptr;
  }
  return std::make_unique<LineReader>(fd, path, true);
}

LineReader::LineReader(int fd, std::string name, bool owns_fd)
    : fd_(fd), name_(std::move(name)), owns_fd_(owns_fd) {
  buf_.resize(kChunk);
}

LineReader::~LineReader() {
  if (owns_fd_) ::close(fd_);
}

bool LineReader::fail(Diag* err, Diag d) {
  failed_ = true;
  *err = std::move(d);
  return false;
}

// Moves the unread bytes to the front and reads more after them.
bool LineReader::fill(Diag* err) {
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(std::min(buf_.size() * 2, kMaxLineBytes + kChunk));
  for (;;) {
    ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n > 0) {
      end_ += size_t(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return true;
    }
    if (errno == EINTR) continue;
    return fail(err, Diag::error_at(Exit::io_error, name_, 0,
                                    std::string("cannot read: ") + std::strerror(errno)));
  }
}

bool LineReader::next(std::string_view* line, Diag* err) {
  if (failed_) return false;
  size_t from = 0;  // bytes after begin_ already searched for '\n'
  for (;;) {
    const char* start = buf_.data() + begin_;
    const char* nl =
        static_cast<const char*>(std::memchr(start + from, '\n', end_ - begin_ - from));
    if (nl) {
      *line = std::string_view(start, size_t(nl - start));
      begin_ += line->size() + 1;
      ++line_no_;
      break;
    }
    from = end_ - begin_;
    if (from > kMaxLineBytes)
      return fail(err, Diag::error_at(Exit::data_error, name_, int(line_no_ + 1),
                                      "line longer than 1 MiB: not a session file"));
    if (eof_) {
      if (from == 0) return false;
      ++line_no_;
      return fail(err,
                  Diag::error_at(Exit::data_error, name_, int(line_no_),
                                 "last line has no newline: the file was cut or is still being "
                                 "written"));
    }
    if (!fill(err)) return false;
  }
  size_t bad = find_binary(*line);
  if (bad != std::string_view::npos)
    return fail(err, Diag::error_at(Exit::data_error, name_, int(line_no_),
                                    "binary data (byte " + std::to_string(bad + 1) +
                                        " of the line): not a session file"));
  return true;
}

size_t find_binary(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7f) continue;
    if (c == '\t') continue;
    if (c < 0x80) return i;  // control character or DEL
    // UTF-8: a lead byte and its continuation bytes, no overlong forms, no surrogates, <= U+10FFFF.
    size_t len = c >= 0xc2 && c <= 0xdf   ? 2
                 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xf0 && c <= 0xf4 ? 4
                                          : 0;
    if (len == 0 || i + len > n) return i;
    for (size_t k = 1; k < len; ++k)
      if ((p[i + k] & 0xc0) != 0x80) return i;
    if (c == 0xe0 && p[i + 1] < 0xa0) return i;
    if (c == 0xed && p[i + 1] >= 0xa0) return i;
    if (c == 0xf0 && p[i + 1] < 0x90) return i;
    if (c == 0xf4 && p[i + 1] >= 0x90) return i;
    unsigned cp = len == 2 ? ((c & 0x1fu) << 6 | (p[i + 1] & 0x3fu)) : 0x100;
    if (cp >= 0x80 && cp <= 0x9f) return i;  // C1 controls: stap-logd escapes them too
    i += len - 1;
  }
  return std::string_view::npos;
}

}  // namespace sa::report
