#include <malloc.h>

#include <hyperplume/app/app.hpp>
#include <hyperplume/app/command.hpp>
#include <hyperplume/app/inspect_command.hpp>
#include <hyperplume/app/l2_command.hpp>
#include <hyperplume/app/detect_command.hpp>
#include <hyperplume/app/l3_command.hpp>
#include <hyperplume/app/plot_command.hpp>
#include <hyperplume/app/reprocess_command.hpp>
#include <hyperplume/app/run_command.hpp>
#include <hyperplume/app/simulate_command.hpp>
#include <hyperplume/app/synth_command.hpp>
#include <hyperplume/app/validate_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/stop_signal.hpp>
#include <hyperplume/core/version.hpp>
#include <hyperplume/par/comm.hpp>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

namespace hyperplume::app {
namespace {
std::vector<std::unique_ptr<Command>> commands() {
  std::vector<std::unique_ptr<Command>> v;
  v.push_back(std::make_unique<SynthCommand>());
  v.push_back(std::make_unique<InspectCommand>());
  v.push_back(std::make_unique<L2Command>());
  v.push_back(std::make_unique<DetectCommand>());
  v.push_back(std::make_unique<L3Command>());
  v.push_back(std::make_unique<ReprocessL2Command>());
  v.push_back(std::make_unique<ReprocessL3Command>());
  v.push_back(std::make_unique<PlotCommand>());
  v.push_back(std::make_unique<PlotL3Command>());
  v.push_back(std::make_unique<RunCommand>());
  v.push_back(std::make_unique<SimulateCommand>());
  v.push_back(std::make_unique<ValidateCommand>());
  return v;
}

// Help, the version and unknown commands need no MPI either.
bool command_uses_mpi(const char* name) {
  for (const auto& c : commands())
    if (c->name() == name) return c->uses_mpi();
  return false;
}

void usage(std::ostream& os) {
  os << "usage: hyperplume <command> [options]   (hyperplume <command> --help for its options)\n\n"
        "HyperPlume turns hyperspectral L1 radiance into trace-gas enhancement maps (L2), plume "
        "masks (L3)\n"
        "and emission-rate tables (L4), for whole campaigns under mpirun and Slurm.\n\ncommands:\n";
  for (const auto& c : commands())
    os << "  " << c->name() << std::string(14 - std::min<std::size_t>(13, c->name().size()), ' ')
       << c->summary() << "\n";
  os << "\n  --version   print the version and git commit\n";
}
}  // namespace

std::string version_string() {
  return std::string("hyperplume ") + version() + " (git " + git_commit() + ")";
}

int run_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << version_string() << "\n";
    return kExitOk;
  }
  for (const auto& c : commands())
    if (c->name() == args[0]) {
      try {
        return c->main({args.begin() + 1, args.end()});
      } catch (const InputError& e) {
        log::error(e.what());
        return kExitFailure;
      }
    }
  std::cerr << "hyperplume: unknown command '" << args[0] << "'\n";
  usage(std::cerr);
  return kExitUsage;
}

int run(int argc, char** argv) {
  // Scene after scene allocates the same large buffers (slabs, read blocks, rasters). By
  // default glibc mmaps each one and returns it to the kernel on free, and the kernel
  // zeroes every fresh page again: measured, that halves the speed-up of two ranks on one
  // node. Keep large blocks in the heap and recycle them instead.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  install_stop_signal_handlers();  // before MPI starts: a stop during start-up is honoured
  try {
    std::optional<par::MpiSession> mpi;
    if (argc > 1 && command_uses_mpi(argv[1])) mpi.emplace(argc, argv);
    return run_command(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const InternalError& e) {
    std::cerr << "hyperplume: internal error (please report): " << e.what() << " at "
              << e.where().file_name() << ":" << e.where().line() << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "hyperplume: " << e.what() << "\n";
    return kExitInternal;
  }
}

}  // namespace hyperplume::app
