# Shared by scripts/*.sh: install missing Debian packages, locate resources, build.
# Source it; do not run it.
set -euo pipefail

HYPERPLUME_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HYPERPLUME_BUILD="${HYPERPLUME_BUILD:-$HYPERPLUME_ROOT/build}"

# Build dependencies (Debian 12) and what the tests use to check products independently
# (netCDF4-python/xarray open the granules the way NASA's EMIT tools do).
# Pictures: libpng; figures: cairo with a DejaVu font; web maps: Leaflet; their tests:
# headless Chromium.
HYPERPLUME_PACKAGES=(cmake g++ make pkg-config
  libopenmpi-dev openmpi-bin libhdf5-openmpi-dev libnetcdf-mpi-dev libpnetcdf-dev
  libgdal-dev libeigen3-dev libboost-program-options-dev libgeonames-dev catch2
  libpng-dev libcairo2-dev fonts-dejavu-core libjs-leaflet
  python3 python3-numpy python3-netcdf4 python3-xarray gdal-bin time
  chromium chromium-driver python3-selenium python3-pil)

# The packages named (default: HYPERPLUME_PACKAGES) that are not installed yet.
hyperplume_install_packages() {
  local missing=() wanted=("$@")
  [ ${#wanted[@]} -eq 0 ] && wanted=("${HYPERPLUME_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

hyperplume_locate_resources() {
  if [ -z "${HYPERPLUME_RESOURCES:-}" ]; then
    export HYPERPLUME_RESOURCES="$HYPERPLUME_ROOT/../shared/resources"
  fi
  if [ ! -f "$HYPERPLUME_RESOURCES/absorption/mag1c_ch4.lut" ]; then
    echo "error: reference resources not found in $HYPERPLUME_RESOURCES" >&2
    echo "       put the shared/ folder beside this checkout or set HYPERPLUME_RESOURCES" >&2
    exit 1
  fi
}

hyperplume_build() {
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  cmake -S "$HYPERPLUME_ROOT" -B "$HYPERPLUME_BUILD" -DCMAKE_BUILD_TYPE=Release -DHYPERPLUME_WERROR=$werror >/dev/null
  cmake --build "$HYPERPLUME_BUILD" -j "$(nproc)"
}

# Open MPI refuses root unless told; 2-core machines need oversubscription for 3 ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

# The full-size synthetic EMIT scene the benchmarks share (1280 x 1242 x 285, two sources),
# generated once into $1; prints its RAD path with the RAD and OBS files in the page cache.
hyperplume_bench_scene() {
  local work="$1" hp="$HYPERPLUME_BUILD/src/hyperplume" rad
  if [ ! -f "$work/hyperplume_campaign.ini" ]; then
    "$hp" synth --out "$work" --rows 1280 --cols 1242 --facilities 1 --scenes-per-facility 1 \
      --sources-per-scene 2 --log-level warn >/dev/null
  fi
  rad=$(ls "$work"/facility_01/EMIT_L1B_RAD_001_*[0-9].nc)
  cat "$rad" "${rad/_RAD_/_OBS_}" > /dev/null
  echo "$rad"
}

# What every script does first: packages, resources, a current build.
hyperplume_setup() {
  hyperplume_install_packages
  hyperplume_locate_resources
  hyperplume_build
}
