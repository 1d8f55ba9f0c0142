// TEMPORARY stand-in for symbols.cc (the kernel-tree engineer's file), compiled only while that file
// does not exist (see CMakeLists.txt): a symbol table that knows nothing and no refusals but __init.
#include "kernel_tree.h"

namespace sa::ktree {
namespace {
class EmptySymbols : public SymbolTable {
 public:
  bool knows(const std::string&) const override { return false; }
  bool has_function(const std::string&, const std::string&) const override { return false; }
};
}  // namespace

std::unique_ptr<SymbolTable> load_symbols(const KernelTree&, const std::string&) {
  return std::make_unique<EmptySymbols>();
}

std::string stap_refusal(const std::string&, const std::string& section) {
  if (section == ".init.text" || section == ".exit.text") return "it is in " + section + ", which systemtap does not probe";
  return "";
}
}  // namespace sa::ktree
