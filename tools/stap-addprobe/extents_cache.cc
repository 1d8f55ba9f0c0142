// SPDX-License-Identifier: GPL-2.0-or-later
// The extents cache; see extents_cache.h.
#include "extents_cache.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "atomic_file.h"

namespace sa::addprobe {
namespace {

constexpr int kFormat = 11;  // bump when FileIndex or the indexer's rules change

std::string fnv_hex(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string default_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  std::string base;
  if (xdg && *xdg) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = std::string(home && *home ? home : "/tmp") + "/.cache";
  }
  return base + "/stap-assistant/addprobe";
}

static std::string stat_text(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return path + " -\n";
  return path + " " + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) +
         " " + std::to_string(st.st_size) + "\n";
}

std::string flags_context(const ktree::KernelTree& tree, const std::string& build_dir,
                          const std::string& rel_file) {
  std::string t = "format " + std::to_string(kFormat) + "\nsrc " + tree.src + "\nobj " + tree.obj +
                  "\nbuild " + build_dir + "\n";
  if (!tree.config.empty()) t += stat_text(tree.config);
  if (!tree.compile_commands.empty()) t += stat_text(tree.compile_commands);
  std::filesystem::path dir = std::filesystem::path(rel_file).parent_path();
  while (true) {
    std::string d = tree.src + (dir.empty() ? "" : "/" + dir.string());
    t += stat_text(d + "/Makefile");
    t += stat_text(d + "/Kbuild");
    if (dir.empty()) break;
    dir = dir.parent_path();
  }
  return t;
}

std::string symbols_fingerprint(const ktree::KernelTree& tree, const std::string& build_dir) {
  std::string t = "build " + build_dir + "\n";
  std::vector<std::string> dirs;
  if (!build_dir.empty()) {
    dirs = {build_dir, "/lib/modules/" + build_dir + "/build"};
    t += stat_text("/boot/System.map-" + build_dir);
  }
  if (!tree.obj.empty()) dirs.push_back(tree.obj);
  dirs.push_back(tree.src);
  for (const auto& d : dirs) {
    t += stat_text(d);
    t += stat_text(d + "/System.map");
    t += stat_text(d + "/vmlinux");
  }
  return fnv_hex(t);
}

std::optional<CacheKey> cache_key(const std::string& file, const std::string& flags_text) {
  struct stat st {};
  if (stat(file.c_str(), &st) != 0) return std::nullopt;
  CacheKey k;
  k.path = file;
  k.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  k.size = st.st_size;
  k.flags = fnv_hex(flags_text);
  return k;
}

std::string index_to_json(const FileIndex& idx) {
  nlohmann::json j;
  j["errors"] = idx.errors;
  j["first_errors"] = idx.first_errors;
  j["skipped"] = nlohmann::json::array();
  for (const auto& [b, e] : idx.skipped) j["skipped"].push_back({b, e});
  j["functions"] = nlohmann::json::array();
  for (const auto& f : idx.functions) {
    j["functions"].push_back({{"name", f.name},
                              {"start", f.start_line},
                              {"body", f.body_line},
                              {"end", f.end_line},
                              {"static", f.is_static},
                              {"inline", f.is_inline},
                              {"macro", f.macro},
                              {"companions", f.companions},
                              {"code", f.code_lines},
                              {"tokens", f.token_lines},
                              {"markers", f.markers},
                              {"trivial", f.trivial}});
  }
  return j.dump(-1, ' ', false,
                nlohmann::json::error_handler_t::replace);  // a Latin-1 path must not throw
}

std::optional<FileIndex> index_from_json(const std::string& text) {
  try {
    auto j = nlohmann::json::parse(text);
    FileIndex idx;
    idx.errors = j.at("errors").get<int>();
    idx.first_errors = j.at("first_errors").get<std::vector<std::string>>();
    for (const auto& r : j.at("skipped"))
      idx.skipped.emplace_back(r.at(0).get<int>(), r.at(1).get<int>());
    for (const auto& o : j.at("functions")) {
      FunctionInfo f;
      f.name = o.at("name").get<std::string>();
      f.start_line = o.at("start").get<int>();
      f.body_line = o.at("body").get<int>();
      f.end_line = o.at("end").get<int>();
      f.is_static = o.at("static").get<bool>();
      f.is_inline = o.at("inline").get<bool>();
      f.macro = o.at("macro").get<std::string>();
      f.companions = o.at("companions").get<std::vector<std::string>>();
      f.code_lines = o.at("code").get<std::vector<int>>();
      f.token_lines = o.at("tokens").get<std::vector<int>>();
      f.markers = o.at("markers").get<std::vector<std::string>>();
      f.trivial = o.at("trivial").get<bool>();
      idx.functions.push_back(std::move(f));
    }
    return idx;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

static std::string entry_path(const std::string& dir, const CacheKey& key) {
  return dir + "/" + fnv_hex(key.path) + ".json";
}

static nlohmann::json build_to_json(const ktree::BuildInfo& b) {
  return {{"kind", static_cast<int>(b.kind)},
          {"module", b.module},
          {"includer", b.includer},
          {"reason", b.reason},
          {"dwarf_path", b.dwarf_path}};
}

static nlohmann::json symbols_to_json(const SymbolFacts& f) {
  nlohmann::json names = nlohmann::json::object();
  for (const auto& [k, v] : f.names) names[k] = {v.present, v.section, v.part};
  return {{"fingerprint", f.fingerprint}, {"knows", f.knows}, {"names", names}};
}

static SymbolFacts symbols_from_json(const nlohmann::json& j) {
  SymbolFacts f;
  f.fingerprint = j.at("fingerprint").get<std::string>();
  f.knows = j.at("knows").get<std::map<std::string, bool>>();
  for (const auto& [k, v] : j.at("names").items())
    f.names[k] = {v.at(0).get<bool>(), v.at(1).get<std::string>(), v.at(2).get<std::string>()};
  return f;
}

static ktree::BuildInfo build_from_json(const nlohmann::json& j) {
  ktree::BuildInfo b;
  b.kind = static_cast<ktree::BuildInfo::Kind>(j.at("kind").get<int>());
  b.module = j.at("module").get<std::string>();
  b.includer = j.at("includer").get<std::string>();
  b.reason = j.at("reason").get<std::string>();
  b.dwarf_path = j.at("dwarf_path").get<std::string>();
  return b;
}

std::optional<CacheEntry> cache_load(const std::string& dir, const CacheKey& key) {
  Diag ignored;
  auto text = read_file(entry_path(dir, key), &ignored);
  if (!text) return std::nullopt;
  size_t nl = text->find('\n');
  if (nl == std::string::npos) return std::nullopt;
  CacheEntry entry;
  try {
    auto head = nlohmann::json::parse(text->substr(0, nl));
    if (head.at("path") != key.path || head.at("mtime_ns") != key.mtime_ns ||
        head.at("size") != key.size || head.at("flags") != key.flags)
      return std::nullopt;
    entry.build = build_from_json(head.at("build"));
    entry.symbols = symbols_from_json(head.at("symbols"));
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  auto idx = index_from_json(text->substr(nl + 1));
  if (!idx) return std::nullopt;
  entry.index = std::move(*idx);
  return entry;
}

bool cache_store(const std::string& dir, const CacheKey& key, const CacheEntry& entry, Diag* err) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *err = Diag::error(Exit::cant_create,
                       "cannot create the cache folder " + dir + ": " + ec.message());
    return false;
  }
  nlohmann::json head = {{"path", key.path},
                         {"mtime_ns", key.mtime_ns},
                         {"size", key.size},
                         {"flags", key.flags},
                         {"build", build_to_json(entry.build)},
                         {"symbols", symbols_to_json(entry.symbols)}};
  std::string text = head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return write_file_atomic(entry_path(dir, key), text + "\n" + index_to_json(entry.index) + "\n",
                           err);
}

}  // namespace sa::addprobe
