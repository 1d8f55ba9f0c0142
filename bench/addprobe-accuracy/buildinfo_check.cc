// SPDX-License-Identifier: GPL-2.0-or-later
// Prints stap-addprobe's build answer for each tree-relative .c path on stdin:
// PATH<TAB>builtin|module|not_built|unknown<TAB>module<TAB>includer<TAB>dwarf_path<TAB>reason
// (bench/addprobe-accuracy/buildinfo.sh compiles it against the build folder's library).
#include <iostream>
#include <string>

#include "kernel_tree.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: buildinfo_check KSRC [BUILD_DIR] < paths\n";
    return 64;
  }
  sa::Diag err;
  auto kt = sa::ktree::find_kernel_tree(argv[1], "", argc > 2 ? argv[2] : "", &err);
  if (!kt) {
    std::cerr << "buildinfo_check: " << err.message << "\n";
    return 66;
  }
  static const char* kinds[] = {"builtin", "module", "not_built", "unknown"};
  for (std::string rel; std::getline(std::cin, rel);) {
    auto bi = sa::ktree::build_info(*kt, rel);
    std::cout << rel << '\t' << kinds[static_cast<int>(bi.kind)] << '\t' << bi.module << '\t'
              << bi.includer << '\t' << bi.dwarf_path << '\t' << bi.reason << '\n';
  }
}
