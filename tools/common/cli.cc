// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli.h"

#include <cstdio>
#include <iostream>

#include "diag.h"

#ifndef SA_VERSION
#error "SA_VERSION must be defined by the build"
#endif

namespace sa {

const char* const kVersion = SA_VERSION;

// GNU's form, the same for the shell tools: "stap-logd (stap-assistant) 0.1.0".
static std::string version_line(const std::string& tool) {
  return tool + " (stap-assistant) " + kVersion;
}

void setup_app(CLI::App& app, const std::string& tool) {
  app.name(tool);
  app.set_version_flag("--version", version_line(tool), "Print the version and exit");
  app.add_option_function<std::string>(
         "--color",
         [](const std::string& when) {
           set_color_mode(when == "always"  ? ColorMode::always
                          : when == "never" ? ColorMode::never
                                            : ColorMode::automatic);
         },
         "Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.get_formatter()->column_width(34);
}

std::optional<int> parse_args(CLI::App& app, const std::string& tool, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return exit_code(Exit::ok);
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return exit_code(Exit::ok);
  } catch (const CLI::CallForVersion&) {
    std::cout << version_line(tool) << "\n";
    return exit_code(Exit::ok);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    // CLI11 capitalises and sometimes ends with a period or newline; the shared format wants
    // neither.
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == '.')) msg.pop_back();
    if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z')
      msg[0] = static_cast<char>(msg[0] - 'A' + 'a');
    Diag d = Diag::error(Exit::usage, msg);
    d.note("try '" + tool + " --help'");
    print_diag(tool, d);
    return exit_code(Exit::usage);
  }
  return std::nullopt;
}

}  // namespace sa
