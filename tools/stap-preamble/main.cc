// stap-preamble: prints the default tracer preamble. (First cut; the full tool is issue 4.)
#include <iostream>

#include "cli.h"
#include "diag.h"
#include "preamble.h"

int main(int argc, char** argv) {
  const std::string tool = "stap-preamble";
  CLI::App app{"Print the stap-assistant tracer preamble"};
  sa::setup_app(app, tool);
  sa::PreambleParams params;
  std::string tmpl;
  app.add_option("--template", tmpl, "Use this template instead of the default preamble");
  app.add_option("-p,--port", params.port, "UDP port the tracer sends to (@@PORT@@)")->check(CLI::Range(1, 65535));
  if (auto code = sa::parse_args(app, tool, argc, argv)) return *code;

  sa::Diag err;
  auto text = sa::load_preamble(tmpl, params, &err);
  if (!text) {
    sa::print_diag(tool, err);
    return sa::exit_code(err.exit);
  }
  std::cout << *text;
  return 0;
}
