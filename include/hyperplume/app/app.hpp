#pragma once
// Entry point of the `hyperplume` executable: git-style subcommands, each a class in the
// library so tests drive them in-process.
#include <string>
#include <vector>

namespace hyperplume::app {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // bad input: the error names file and problem
inline constexpr int kExitUsage = 2;     // bad command line or configuration
inline constexpr int kExitInternal = 3;  // a broken invariant (a bug)
// `run` stopped by SIGTERM/SIGINT/SIGUSR1 before every scene was processed: nothing is
// lost, resubmit (or requeue) the same job to continue. 75 = EX_TEMPFAIL of sysexits.h.
inline constexpr int kExitInterrupted = 75;

int run(int argc, char** argv);  // initialises MPI, dispatches, maps errors to exit codes
// Dispatches args (without the program name); MPI must already be initialised.
int run_command(const std::vector<std::string>& args);
std::string version_string();

}  // namespace hyperplume::app
