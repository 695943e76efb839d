#pragma once
// A polite stop from outside: SIGTERM (Slurm at the time limit, preemption, scancel), SIGINT
// (Ctrl-C) or SIGUSR1 (what `mpirun` forwards to every rank, and `#SBATCH --signal=USR1@T`
// sends ahead of the limit). The handler only records the signal; the campaign polls it,
// stops handing out scenes and lets running ones finish within a grace period.

#include <hyperplume/core/error.hpp>

namespace hyperplume {

// Thrown between stages when a scene is abandoned after a stop (its grace period is over):
// the scene is recorded as interrupted, with no attempt counted against it.
class StopRequested : public Error {
 public:
  using Error::Error;
};

// Installs the handler for SIGTERM, SIGINT and SIGUSR1 (idempotent). The program does so
// first thing, before MPI starts: a signal arriving during start-up (Slurm sends
// `--signal=B:USR1@T` at the job's start when its limit is shorter than T plus its ~30 s
// check interval) is recorded, not fatal.
void install_stop_signal_handlers();
// For commands that do not poll for a stop: the default actions back, and a stop signal
// caught since start-up raised again, so it ends the process as it would have.
void restore_default_stop_signals();

// The signal that asked to stop (0: none yet).
int stop_signal();
bool stop_requested();
// Seconds since the first stop signal (0 when none).
double seconds_since_stop();
// "SIGTERM", "SIGINT", "SIGUSR1" or "signal N".
const char* signal_name(int signal);

// For tests and for a campaign that must stop itself (its journal cannot be written): acts
// as if `signal` had arrived now.
void request_stop(int signal);
// Forgets a stop (tests run several campaigns in one process).
void clear_stop_request();

}  // namespace hyperplume
