// SPDX-License-Identifier: GPL-2.0-or-later
// The log protocol: how one UDP datagram is classified, and how text from the network is made safe.
//
// share/log-format.md (version 1) is the contract; this file is its parser, shared by every tool
// that reads the wire. A datagram is exactly one of:
//
//   - an SA1 chunk       "SA1 <cpu> <seq> <part>/<parts> <chunk>"  (the preamble's helpers)
//   - a plain clear      "===CLEAR==="  (optionally followed by "\n"), from `echo ... | nc -u`
//   - a netconsole extended record  "<level>,<seq>,<ts_usec>,<flags>[,ncfrag=<off>/<total>];<body>"
//     (the kernel's netconsole with `+` in its parameter; see
//     Documentation/networking/netconsole.rst)
//   - raw text: anything else, including plain netconsole and malformed SA1 datagrams. Raw text is
//     never dropped; the receiver keeps it as (sanitised) lines.
//
// The parser never fails and never allocates: views point into the datagram. Everything it accepts
// as a number is bounded, so a hostile datagram cannot overflow anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sa::logproto {

inline constexpr std::string_view kClear = "===CLEAR===";
inline constexpr std::string_view kMagic = "SA1 ";
inline constexpr int kMaxParts = 64;
inline constexpr std::string_view kNotePrefix = "-- stap-logd: ";
// The largest netconsole message a receiver reassembles (the kernel's records are ~1 KiB; the
// extended console's limit is 8 KiB). An ncfrag total above it is not netconsole but raw text.
inline constexpr size_t kMaxNetconsoleMessage = 65536;

enum class Kind { sa1, clear, netconsole_ext, raw };

struct Datagram {
  Kind kind = Kind::raw;

  // Kind::sa1 (a clear sent by the module is sa1 with seq 0 and chunk "===CLEAR===", see
  // is_sa1_clear)
  unsigned cpu = 0;
  uint64_t seq = 0;
  int part = 0;
  int parts = 0;
  std::string_view chunk;  // one trailing '\n' already stripped

  // Kind::netconsole_ext
  int level = 0;  // syslog priority with the facility removed (0..7)
  uint64_t nc_seq = 0;
  uint64_t ts_usec = 0;
  bool fragment = false;  // an ncfrag=OFFSET/TOTAL field was present
  size_t frag_offset = 0;
  size_t frag_total = 0;
  std::string_view body;  // everything after the ';' (message, '\n', dictionary lines)

  // Kind::raw: the whole datagram, untouched
  std::string_view text;
};

// Classifies one datagram. Never fails: what is not understood is Kind::raw.
Datagram parse_datagram(std::string_view data);

// True for the session-start datagram a module sends: "SA1 <cpu> 0 1/1 ===CLEAR===" (any text: the
// clear message is a parameter of the preamble; sequence 0 is what marks it).
bool is_sa1_clear(const Datagram& d);

// The message text of a (reassembled) netconsole extended body: the part before the first '\n';
// the dictionary lines after it (" KEY=VALUE") are metadata and not returned.
std::string_view netconsole_message(std::string_view body);

// Makes received bytes safe to write to a file or a terminal, visibly: every C0 control character
// except TAB, DEL, the C1 controls (U+0080..U+009F), the bidirectional formatting characters
// (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and every byte that is not part of valid
// UTF-8 become "\xNN" (one per byte). Valid UTF-8 and TAB pass unchanged. The result contains no
// newline.
std::string sanitize(std::string_view bytes);

// Appends sanitize(bytes) to *out (no allocation when nothing needs escaping beyond growth).
void append_sanitized(std::string_view bytes, std::string* out);

}  // namespace sa::logproto
