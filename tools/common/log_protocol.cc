// SPDX-License-Identifier: GPL-2.0-or-later
// The datagram classifier and the sanitiser. See log_protocol.h and share/log-format.md.
//
// Parsing is a small hand-written scanner over a string_view: each field is read with a bounded
// decimal reader, and any surprise makes the datagram raw text instead of an error, because the
// receiver's rule is "keep everything, understand what you can".
#include "log_protocol.h"

namespace sa::logproto {

namespace {

// Reads a decimal number of 1..max_digits digits at s[*pos]; advances *pos past it.
bool read_decimal(std::string_view s, size_t* pos, int max_digits, uint64_t* value) {
  size_t start = *pos;
  uint64_t v = 0;
  while (*pos < s.size() && s[*pos] >= '0' && s[*pos] <= '9') {
    if (static_cast<int>(*pos - start) >= max_digits) return false;
    v = v * 10 + static_cast<uint64_t>(s[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return false;
  *value = v;
  return true;
}

bool expect_char(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

std::string_view strip_one_newline(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

bool parse_sa1(std::string_view data, Datagram* d) {
  if (data.substr(0, kMagic.size()) != kMagic) return false;
  size_t pos = kMagic.size();
  uint64_t cpu = 0, seq = 0, part = 0, parts = 0;
  if (!read_decimal(data, &pos, 6, &cpu) || !expect_char(data, &pos, ' ')) return false;
  if (!read_decimal(data, &pos, 19, &seq) || !expect_char(data, &pos, ' ')) return false;
  if (!read_decimal(data, &pos, 2, &part) || !expect_char(data, &pos, '/')) return false;
  if (!read_decimal(data, &pos, 2, &parts)) return false;
  if (parts < 1 || parts > static_cast<uint64_t>(kMaxParts) || part < 1 || part > parts)
    return false;
  std::string_view chunk;
  if (pos < data.size()) {
    if (!expect_char(data, &pos, ' ')) return false;
    chunk = data.substr(pos);
  }
  d->kind = Kind::sa1;
  d->cpu = static_cast<unsigned>(cpu);
  d->seq = seq;
  d->part = static_cast<int>(part);
  d->parts = static_cast<int>(parts);
  d->chunk = strip_one_newline(chunk);
  return true;
}

// "<level>,<seq>,<ts>,<flags>[,more fields];" where one of the extra fields may be
// "ncfrag=<offset>/<total>". The header is short and printable; anything else is not netconsole.
bool parse_netconsole_ext(std::string_view data, Datagram* d) {
  size_t semi = data.find(';');
  if (semi == std::string_view::npos || semi > 200) return false;
  std::string_view header = data.substr(0, semi);
  for (char c : header)
    if (c <= ' ' || c > '~') return false;
  size_t pos = 0;
  uint64_t level = 0, seq = 0, ts = 0;
  if (!read_decimal(header, &pos, 4, &level) || !expect_char(header, &pos, ',')) return false;
  if (!read_decimal(header, &pos, 20, &seq) || !expect_char(header, &pos, ',')) return false;
  if (!read_decimal(header, &pos, 20, &ts) || !expect_char(header, &pos, ',')) return false;
  // flags: one field (in 6.1 a single '-' or 'c'), then optional extra fields.
  size_t comma = header.find(',', pos);
  std::string_view flags =
      header.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
  if (flags.empty()) return false;
  d->fragment = false;
  while (comma != std::string_view::npos) {
    pos = comma + 1;
    comma = header.find(',', pos);
    std::string_view field =
        header.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
    constexpr std::string_view kFrag = "ncfrag=";
    if (field.substr(0, kFrag.size()) == kFrag) {
      size_t p = kFrag.size();
      uint64_t off = 0, total = 0;
      if (!read_decimal(field, &p, 9, &off) || !expect_char(field, &p, '/') ||
          !read_decimal(field, &p, 9, &total) || p != field.size() || off >= total ||
          total > kMaxNetconsoleMessage)
        return false;
      d->fragment = true;
      d->frag_offset = static_cast<size_t>(off);
      d->frag_total = static_cast<size_t>(total);
    }
  }
  d->kind = Kind::netconsole_ext;
  d->level = static_cast<int>(level & 7);
  d->nc_seq = seq;
  d->ts_usec = ts;
  d->body = data.substr(semi + 1);
  return true;
}

void append_escape(unsigned char c, std::string* out) {
  static const char hex[] = "0123456789abcdef";
  out->push_back('\\');
  out->push_back('x');
  out->push_back(hex[c >> 4]);
  out->push_back(hex[c & 15]);
}

// The Unicode bidirectional formatting characters: text after them can display in another order
// than it is stored (the "Trojan Source" trick), so a line could show something it does not
// contain.
bool is_bidi_control(uint32_t cp) {
  return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// Length of the valid UTF-8 sequence at s[i], or 0 if the byte there does not start one.
size_t utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  size_t n;
  uint32_t min;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    min = 0x80;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    min = 0x800;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    min = 0x10000;
    cp = c & 0x07;
  } else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  if (cp >= 0x80 && cp <= 0x9f) return 0;  // C1 controls: escaped like C0
  if (is_bidi_control(cp)) return 0;       // they reorder what a terminal or editor shows
  return n;
}

}  // namespace

Datagram parse_datagram(std::string_view data) {
  Datagram d;
  if (parse_sa1(data, &d)) return d;
  if (strip_one_newline(data) == kClear) {
    d.kind = Kind::clear;
    return d;
  }
  if (!data.empty() && data[0] >= '0' && data[0] <= '9' && parse_netconsole_ext(data, &d)) return d;
  d = Datagram{};
  d.kind = Kind::raw;
  d.text = data;
  return d;
}

bool is_sa1_clear(const Datagram& d) {
  // Sequence 0 is reserved for the session start; its text is the preamble's clear_msg parameter,
  // "===CLEAR===" unless the user chose another, so the text is not checked.
  return d.kind == Kind::sa1 && d.seq == 0 && d.parts == 1;
}

std::string_view netconsole_message(std::string_view body) {
  size_t nl = body.find('\n');
  return nl == std::string_view::npos ? body : body.substr(0, nl);
}

void append_sanitized(std::string_view bytes, std::string* out) {
  size_t i = 0;
  while (i < bytes.size()) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f) {
      size_t j = i + 1;
      while (j < bytes.size() && static_cast<unsigned char>(bytes[j]) >= 0x20 &&
             static_cast<unsigned char>(bytes[j]) < 0x7f)
        ++j;
      out->append(bytes.data() + i, j - i);
      i = j;
    } else if (c == '\t') {
      out->push_back('\t');
      ++i;
    } else if (c >= 0x80) {
      size_t n = utf8_length(bytes, i);
      if (n == 0) {
        append_escape(c, out);
        ++i;
      } else {
        out->append(bytes.data() + i, n);
        i += n;
      }
    } else {
      append_escape(c, out);
      ++i;
    }
  }
}

std::string sanitize(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  append_sanitized(bytes, &out);
  return out;
}

}  // namespace sa::logproto
