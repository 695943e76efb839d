#include <hyperplume/app/app.hpp>
#include <hyperplume/app/command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <iostream>

namespace hyperplume::app {

int Command::main(const std::vector<std::string>& args) {
  po::options_description own(name() + " options");
  own.add_options()("help,h", "show this help");
  declare(own);
  const ConfigOptions config_options;
  po::options_description all;
  all.add(own).add(config_options.general()).add(config_options.keys());
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).run(), vm);
    if (vm.count("help")) {  // before notify(): --help needs no required option
      std::cout << "hyperplume " << name() << ": " << summary() << "\n\n"
                << own << "\n"
                << config_options.general() << "\n"
                << config_options.keys() << "\n";
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hyperplume " << name() << ": " << e.what() << "\n(see hyperplume " << name()
              << " --help)\n";
    return kExitUsage;
  }
  Config config;
  try {
    config = config_options.resolve(vm);
    log::set_level(log::parse_level(config.log_level));
  } catch (const InputError& e) {
    std::cerr << "hyperplume " << name() << ": " << e.what() << "\n";
    return kExitUsage;
  }
  return execute(vm, config);
}

}  // namespace hyperplume::app
