// stap-addprobe: placeholder until its issue lands; it already follows the shared CLI conventions.
#include "cli.h"

int main(int argc, char** argv) {
  const std::string tool = "stap-addprobe";
  CLI::App app{"stap-addprobe"};
  sa::setup_app(app, tool);
  if (auto code = sa::parse_args(app, tool, argc, argv)) return *code;
  return 0;
}
