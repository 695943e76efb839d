# Command-line cases as data: name | arguments (comma-separated) | regular expression the output must match
# | expected exit code (0 = success, 1 = input failure, 2 = usage).
set(HYPERPLUME_CLI_CASES
  "version|--version|hyperplume [0-9]+\\.[0-9]+\\.[0-9]+ \\(git |0"
  "help|--help|synth .*inspect|0"
  "synth_help|synth,--help|--rows.*--plume-free.*species\\.ch4\\.window.*paths\\.era5_dir|0"
  "unknown_command|frobnicate|unknown command 'frobnicate'|2"
  "bad_option|synth,--out,x,--rows,many|rows|2"
  "inverted_window|synth,--out,x,--species.ch4.window,2450 2110|species\\.ch4\\.window.*below|2"
  "missing_resources|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--resources,/nonexistent|missing resource file.*--resources|1"
  "bad_rows|synth,--out,${CMAKE_CURRENT_BINARY_DIR}/cli_out,--rows,2|--rows must be between|1"
  "l3_help|l3,--help|--skip-exist.*--ipcc-sector.*--wind-source.*--land-only.*--wspd-manual.*--sp-manual.*--azimuth-diff-max.*--dist-max.*--profile.*--land-mask-source|0"
  "l3_bad_sector|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--ipcc-sector,Mining|--ipcc-sector: 'Mining'|1"
  "l3_bad_wind_source|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--wind-source,ncep|--wind-source: 'ncep'|1"
  "l3_bad_wspd|l3,--root,${CMAKE_CURRENT_BINARY_DIR},--wspd-manual,-2|--wspd-manual must be a positive|1"
  "l3_no_land_mask_files|l3,--root,${CMAKE_CURRENT_BINARY_DIR}|--land-only needs the land mask files|1"
)
foreach(case ${HYPERPLUME_CLI_CASES})
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 args)
  list(GET parts 2 regex)
  list(GET parts 3 code)
  string(REPLACE "," ";" args "${args}")
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

# L1 -> L2 -> L3/L4 against the injected truth, and bad markers (docs/validation.md).
if(SYSTEM_PYTHON3)
  add_test(NAME l3_validation
           COMMAND ${SYSTEM_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/cli/l3_validation.py $<TARGET_FILE:hyperplume>
                   ${CMAKE_CURRENT_BINARY_DIR}/l3_validation)
  set_tests_properties(l3_validation PROPERTIES ENVIRONMENT "${HYPERPLUME_TEST_ENV}" LABELS cli PROCESSORS 2)
endif()
