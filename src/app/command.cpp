#include <cmath>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/stop_signal.hpp>
#include <iostream>
#include <sstream>
#include <typeinfo>

namespace hyperplume::app {
namespace {

bool is_unsigned(const std::type_info& type) {
  return type == typeid(unsigned) || type == typeid(unsigned long) ||
         type == typeid(unsigned long long);
}

// Boost reads "-1" into an unsigned option by wrapping it round (to 2^64 - 1 for a seed).
void reject_negative_unsigned(const po::parsed_options& parsed, const po::variables_map& vm) {
  for (const po::option& o : parsed.options) {
    if (o.unregistered || !vm.count(o.string_key)) continue;
    if (!is_unsigned(vm[o.string_key].value().type())) continue;
    for (const std::string& token : o.value)
      if (token.find('-') != std::string::npos)
        throw UsageError("--" + o.string_key + ": '" + token +
                         "' is negative; give a whole number >= 0");
  }
}

// Boost reads "inf" and "nan" into a double option; no option of HyperPlume means either.
void reject_non_finite(const po::variables_map& vm) {
  for (const auto& [name, value] : vm) {
    if (value.empty() || value.value().type() != typeid(double)) continue;
    const double v = value.as<double>();
    if (std::isfinite(v)) continue;
    std::ostringstream text;
    text << v;
    throw UsageError("--" + name + ": '" + text.str() + "' is not a finite number");
  }
}

}  // namespace

int Command::usage_failure(const std::string& message) const {
  std::cerr << "hyperplume " << name() << ": " << message << "\n(see hyperplume " << name()
            << " --help)\n";
  return kExitUsage;
}

int Command::main(const std::vector<std::string>& args) {
  // Again after MPI started (in case it took a handler over), or the default actions back.
  if (stops_on_signal())
    install_stop_signal_handlers();
  else
    restore_default_stop_signals();
  po::options_description own(name() + " options");
  own.add_options()("help,h", "show this help");
  declare(own);
  const ConfigOptions config_options;
  po::options_description all;
  all.add(own).add(config_options.general()).add(config_options.keys());
  po::variables_map vm;
  try {
    const po::parsed_options parsed = po::command_line_parser(args).options(all).run();
    po::store(parsed, vm);
    if (vm.count("help")) {  // before notify(): --help needs no required option
      std::cout << "hyperplume " << name() << ": " << summary() << "\n\n"
                << own << "\n"
                << config_options.general() << "\n"
                << config_options.keys() << "\n";
      return kExitOk;
    }
    po::notify(vm);
    reject_negative_unsigned(parsed, vm);
    reject_non_finite(vm);
  } catch (const po::error& e) {
    return usage_failure(e.what());
  } catch (const UsageError& e) {
    return usage_failure(e.what());
  }
  Config config;
  try {
    config = config_options.resolve(vm);
    log::set_level(log::parse_level(config.log_level));
  } catch (const InputError& e) {  // a bad config file or key is a usage error too
    std::cerr << "hyperplume " << name() << ": " << e.what() << "\n";
    return kExitUsage;
  }
  try {
    return execute(vm, config);
  } catch (const UsageError& e) {  // option values the command checks before any work
    return usage_failure(e.what());
  }
}

}  // namespace hyperplume::app
