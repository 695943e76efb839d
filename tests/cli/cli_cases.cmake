# Command-line cases as data: name | arguments (comma-separated; <comma> for a comma inside one) |
# regular expression the output must match | expected exit code (0 = success, 1 = input failure,
# 2 = usage or configuration error).
set(HYPERPLUME_CLI_CASES
  "version|--version|hyperplume [0-9]+\\.[0-9]+\\.[0-9]+ \\(git |0"
  "help|--help|synth .*inspect|0"
  "synth_help|synth,--help|--rows.*--plume-free.*species\\.ch4\\.window.*paths\\.era5_dir|0"
  "unknown_command|frobnicate|unknown command 'frobnicate'|2"
  "bad_option|synth,--out,x,--rows,many|rows|2"
  "inverted_window|synth,--out,x,--species.ch4.window,2450 2110|species\\.ch4\\.window.*below|2"
  "missing_resources|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--resources,/nonexistent|missing resource file.*--resources|1"
  "bad_rows|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--rows,2|--rows must be between|2"
  "l3_help|l3,--help|--skip-exist.*--ipcc-sector.*--wind-source.*--land-only.*--wspd-manual.*--sp-manual.*--azimuth-diff-max.*--dist-max.*--label-max-distance.*--profile.*--land-mask-source|0"
  "l3_bad_sector|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--ipcc-sector,Mining|--ipcc-sector: 'Mining'|2"
  "l3_bad_wind_source|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--wind-source,ncep|--wind-source: 'ncep'|2"
  "l3_bad_wspd|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--wspd-manual,-2|--wspd-manual must be a positive|2"
  "l3_bad_label_max_distance|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--label-max-distance,-5|--label-max-distance must be a distance in metres|2"
  "l3_no_land_mask_files|l3,--root,${CMAKE_CURRENT_BINARY_DIR}|--land-only needs the land mask files|2"
  "overlay_is_directory|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--config-overlay,${CMAKE_CURRENT_BINARY_DIR}|--config-overlay: a directory, not a config file|2"
  "overlay_missing|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--config-overlay,${CMAKE_CURRENT_BINARY_DIR}/no_such_overlay.ini|no_such_overlay\\.ini: --config-overlay: no such file|2"
  "species_twice|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--species,ch4<comma>co2<comma>ch4|--species: .ch4. is listed twice|2"
  "threads_negative|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--threads,-1|--threads: -1 is negative|2"
  "synth_threads_negative|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--threads,-4|--threads: -4 is negative|2"
  "seed_negative|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--seed,-1|--seed: .-1. is negative|2"
  "synth_seed_negative|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--seed,-7|--seed: .-7. is negative|2"
  "window_infinite|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--species.ch4.window,2110 inf|species\\.ch4\\.window.*.inf. is not a finite number|2"
  "window_nan|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--species.ch4.full_window,nan 2500|species\\.ch4\\.full_window.*.nan. is not a finite number|2"
  "concentration_infinite|l2,--root,${CMAKE_CURRENT_BINARY_DIR},--species.ch4.concentrations,0 500 inf|species\\.ch4\\.concentrations.*not a finite number|2"
  "dist_max_nan|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--dist-max,nan|--dist-max: .nan. is not a finite number|2"
  "sp_manual_infinite|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--sp-manual,inf|--sp-manual: .inf. is not a finite number|2"
  "progress_interval_infinite|run,--root,${CMAKE_CURRENT_BINARY_DIR},--progress-interval,inf|--progress-interval: .inf. is not a finite number|2"
)
foreach(case ${HYPERPLUME_CLI_CASES})
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 args)
  list(GET parts 2 regex)
  list(GET parts 3 code)
  string(REPLACE "," ";" args "${args}")
  string(REPLACE "<comma>" "," args "${args}")
  add_test(NAME cli_${name}
           COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:hyperplume> "-DARGS=${args}" "-DREGEX=${regex}" -DCODE=${code}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_cli_case.cmake)
  set_tests_properties(cli_${name} PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS cli)
endforeach()

# Files a real-EMIT reading tool opens unchanged: NASA's emit_tools recipe with xarray.
find_program(SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(SYSTEM_PYTHON3)
  add_test(NAME cli_emit_tools_compat
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/emit_tools_compat.py $<TARGET_FILE:hyperplume>
                   ${CMAKE_CURRENT_BINARY_DIR}/emit_tools_compat)
  set_tests_properties(cli_emit_tools_compat PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS cli)
endif()

# The MPI campaign runner end to end (identity across rank counts, fault isolation, resume).
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_run_campaign
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_campaign.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/run_campaign)
  set_tests_properties(mpi_run_campaign PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2)
endif()

# What clusters do to a campaign: changed settings and inputs, a torn journal, a moved campaign,
# clean failures, a second run, rank 0 unable to write, stop signals, a full disk.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_run_reliability
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/run_reliability.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/run_reliability)
  set_tests_properties(mpi_run_reliability PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# A small fault campaign (scripts/fault_campaign.sh runs the full one): corrupt scenes, SIGKILL,
# SIGTERM, a second job, a full disk, resume; good scenes identical to a clean run.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_fault_campaign
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/fault_campaign.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/fault_campaign 12 3)
  set_tests_properties(mpi_fault_campaign PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# L1 -> L2 -> L3/L4 against the injected truth, and bad markers (docs/validation.md).
if(SYSTEM_PYTHON3)
  add_test(NAME l3_validation
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/l3_validation.py $<TARGET_FILE:hyperplume>
                   ${CMAKE_CURRENT_BINARY_DIR}/l3_validation)
  set_tests_properties(l3_validation PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS cli PROCESSORS 2)
endif()

# The second pass every way it runs (in the worker, --reprocess, resumed, by hand), bit for
# bit the same, and its bad input.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_reprocess
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/reprocess.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/reprocess)
  set_tests_properties(mpi_reprocess PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# The known-truth validation benchmark, small (scripts/bench_validate.sh: the full one).
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_validate
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/validate.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/validate)
  set_tests_properties(mpi_validate PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# Automatic detection, L1 -> L4 with no hand-placed marker, and its choices and bad input.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_detect
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/detect.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/detect)
  set_tests_properties(mpi_detect PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# Visual products: quicklooks, map pages in headless Chromium, plume figures, the index.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_plots
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/plots.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/plots)
  set_tests_properties(mpi_plots PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()

# A campaign mixing EMIT and EnMAP scenes: native grids, rank-count identity, plumes, bad tiles.
if(SYSTEM_PYTHON3)
  add_test(NAME mpi_mixed_sensors
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/mixed_sensors.py $<TARGET_FILE:hyperplume>
                   ${MPIEXEC_EXECUTABLE} ${CMAKE_CURRENT_BINARY_DIR}/mixed_sensors)
  set_tests_properties(mpi_mixed_sensors PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS mpi PROCESSORS 2 TIMEOUT 900)
endif()
