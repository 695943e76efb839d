#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume l2 --root DIR ...: L2 for every L1 scene under DIR, written next to it.
class L2Command : public Command {
 public:
  std::string name() const override { return "l2"; }
  std::string summary() const override {
    return "retrieve trace-gas enhancements (L2) for every L1 scene under a directory";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app
