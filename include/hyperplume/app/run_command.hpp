#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// mpirun -np N hyperplume run --root L1_ROOT ...: the whole campaign under MPI.
class RunCommand : public Command {
 public:
  std::string name() const override { return "run"; }
  std::string summary() const override {
    return "process a whole campaign under MPI (rank-0 scheduler, journal, resume)";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
  bool stops_on_signal() const override { return true; }
};

}  // namespace hyperplume::app
