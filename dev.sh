#!/usr/bin/env bash
# dev.sh: set up, build and run rebalance on Debian 12 / Raspberry Pi OS
# bookworm.
#
#   ./dev.sh run [ARGS...]   install missing packages, build build/, start the coach
#   ./dev.sh test            install missing packages, build build-asan/ with
#                            sanitizers, run every test with prove
#   ./dev.sh package         install missing packages, build the Debian
#                            package (a release build) into dist/, lintian it
#   ./dev.sh fuzz [SECONDS]  build the libFuzzer targets (clang) into
#                            build-fuzz/ and run each for SECONDS (600)
#   ./dev.sh arm64           cross-build for the Pi (arm64) into build-arm64/
#                            and run the unit and end-to-end tests under
#                            qemu-user (docs/arm64.md)
#
# Packages are installed only when missing (apt-get needs root: sudo is used
# when not root). Environment knobs: JOBS (parallel build jobs),
# REBALANCE_TEST_TIMEOUT (seconds per test file, default 600),
# REBALANCE_DIST (where `package` puts the .deb, default dist/).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"

# What the build and the program need.
BUILD_PACKAGES=(
  build-essential cmake pkg-config
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
  liblua5.4-dev libcjson-dev libinih-dev libespeak-ng-dev
  libgpiod-dev libsqlite3-dev libcairo2-dev libsystemd-dev
  fonts-dejavu-core
)
# What `package` needs besides the build: debhelper (dh with cmake,
# dh_installsystemd, dh_installsysusers), dpkg-dev and fakeroot, lintian,
# and systemd (systemd-analyze, systemd-sysusers, systemctl for the
# package test).
PACKAGE_PACKAGES=(debhelper dpkg-dev fakeroot lintian systemd)
# What only the tests need: prove (perl, with JSON::PP and Test::More in
# core), an X server for the screen tests (they start it themselves with
# xvfb-run -a when DISPLAY is unset), the lint test's clang-format and
# cppcheck, for the export test python3 (csv) with jsonschema and curl
# (it fetches the official FHIR R4 JSON schema once, checked by its hash),
# and poppler-utils to render the PDF report.
TEST_PACKAGES=(xvfb xauth perl clang-format cppcheck python3 lua-check clang
  python3-jsonschema curl poppler-utils "${PACKAGE_PACKAGES[@]}")

JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

say() { printf 'dev.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
  cat >&2 <<'EOF'
usage: ./dev.sh run [ARGS...]   build and start the coach (ARGS go to rebalance)
       ./dev.sh test            build with sanitizers and run all tests
       ./dev.sh package         build the Debian package into dist/
       ./dev.sh fuzz [SECONDS]  run the libFuzzer targets (clang), SECONDS each
       ./dev.sh arm64           cross-build for arm64, test under qemu-user
EOF
  exit 2
}

# Installs the packages that dpkg does not list as installed.
ensure_packages() {
  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == installed ]] || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  say "installing missing packages: ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 ||
      die "need root to install ${missing[*]}: run as root or install sudo"
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    --no-install-recommends "${missing[@]}" </dev/null
}

# build DIR [CMAKE ARGS...]
build() {
  local dir="$1"
  shift
  cmake -S "$ROOT" -B "$dir" "$@"
  cmake --build "$dir" --parallel "$JOBS"
}

cmd_run() {
  ensure_packages "${BUILD_PACKAGES[@]}"
  build "$ROOT/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_SANITIZE=OFF

  local bin="$ROOT/build/rebalance"
  # On a desktop, a window; on a bare console, fullscreen through KMSDRM.
  # Without any display the program says so and runs in the terminal.
  # No --window when the caller chose a mode or a subcommand (check,
  # simulate ...), which must come first.
  local add_window=0
  if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" ]]; then
    add_window=1
    if (($# > 0)) && [[ "$1" != -* ]]; then
      add_window=0
    fi
    local a
    for a in "$@"; do
      case "$a" in --window | --window=* | --headless) add_window=0 ;; esac
    done
  fi
  if ((add_window)); then
    exec "$bin" --window "$@"
  fi
  exec "$bin" "$@"
}

# The libFuzzer targets (fuzz/), built with clang into build-fuzz/.
build_fuzz() {
  CC=clang build "$ROOT/build-fuzz" -DCMAKE_BUILD_TYPE=Debug \
    -DREBALANCE_SANITIZE=ON -DREBALANCE_FUZZ=ON -DREBALANCE_TESTS=OFF
}

# ./dev.sh fuzz [SECONDS]: each target for SECONDS (default 600) over a
# copy of its seed corpus in build-fuzz/corpus/, which keeps what it finds;
# a crash leaves its input in build-fuzz/ (crash-*) and stops.
cmd_fuzz() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  build_fuzz
  local secs="${1:-600}" t name
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp}"
  for t in "$ROOT"/build-fuzz/fuzz/fuzz_*; do
    name="$(basename "$t")"
    mkdir -p "$ROOT/build-fuzz/corpus/${name#fuzz_}"
    cp -n "$ROOT/fuzz/corpus/${name#fuzz_}"/* "$ROOT/build-fuzz/corpus/${name#fuzz_}/" 2>/dev/null || true
    # and the project's own files of the kind, where they are
    case "$name" in
      fuzz_routine) cp -n "$ROOT"/scripts/routines/*.lua "$ROOT"/tests/fixtures/*.lua "$ROOT/build-fuzz/corpus/routine/" || true ;;
      fuzz_figure) cp -n "$ROOT"/assets/figures/*.lua "$ROOT/build-fuzz/corpus/figure/" || true ;;
      fuzz_config) cp -n "$ROOT"/config/rebalance.conf "$ROOT/build-fuzz/corpus/config/" || true ;;
    esac
    say "$name: ${secs} s"
    (cd "$ROOT/build-fuzz" && "$t" -max_total_time="$secs" -timeout=10 \
      "$ROOT/build-fuzz/corpus/${name#fuzz_}") || die "$name found a crash (build-fuzz/crash-*)"
  done
}

# The Pi's architecture: the build's libraries for arm64 (Debian
# multiarch), a cross compiler and qemu-user to run what it builds.
ARM64_PACKAGES=(crossbuild-essential-arm64 qemu-user)
for p in libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev liblua5.4-dev \
  libcjson-dev libinih-dev libespeak-ng-dev libgpiod-dev libsqlite3-dev \
  libcairo2-dev libsystemd-dev; do
  ARM64_PACKAGES+=("$p:arm64")
done

cmd_arm64() {
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding the arm64 architecture to dpkg"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" dpkg --add-architecture arm64
  fi
  ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${ARM64_PACKAGES[@]}"
  build "$ROOT/build-arm64" -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/aarch64-linux-gnu.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREBALANCE_SANITIZE=OFF -DREBALANCE_TESTS=ON
  file "$ROOT/build-arm64/rebalance" | grep -q 'ARM aarch64' ||
    die "build-arm64/rebalance is not an arm64 program"

  # the program under qemu-user, for the end-to-end tests, and the test
  # tools they run (arm64 programs too) behind the same kind of wrapper
  local wrap="$ROOT/build-arm64/rebalance-qemu" tool
  printf '#!/bin/sh\nexec qemu-aarch64 "%s" "$@"\n' "$ROOT/build-arm64/rebalance" >"$wrap"
  chmod +x "$wrap"
  for tool in pngstat rebalance_fakegpio; do
    tool="$ROOT/build-arm64/tests/$tool"
    if file "$tool" | grep -q 'ARM aarch64'; then
      mv "$tool" "$tool.arm64"
      printf '#!/bin/sh\nexec qemu-aarch64 "%s" "$@"\n' "$tool.arm64" >"$tool"
      chmod +x "$tool"
    fi
  done
  export REBALANCE_ROOT="$ROOT" REBALANCE_BIN="$wrap" REBALANCE_EXEC=qemu-aarch64
  export CC=aarch64-linux-gnu-gcc
  export SDL_RENDER_DRIVER="${SDL_RENDER_DRIVER:-software}"

  local tests=() src name t
  for src in "$ROOT"/tests/unit/test_*.c; do
    name="$(basename "$src" .c)"
    [[ -x "$ROOT/build-arm64/tests/$name" ]] || die "unit test $name was not built"
    tests+=("$ROOT/build-arm64/tests/$name")
  done
  # the end-to-end tests that run the program (the package, the fuzzers
  # and the screens' Xvfb comparisons are the build machine's)
  # (buttons.t presses the GPIO double's buttons on the real clock: under
  # emulation the program is too slow for its script)
  for t in "$ROOT"/tests/e2e/*.t; do
    case "$(basename "$t")" in package.t | buttons.t) continue ;; esac
    tests+=("$t")
  done
  cd "$ROOT"
  prove --exec "$ROOT/tests/tools/arm64-exec" -j 1 "${tests[@]}"
}

cmd_test() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  build "$ROOT/build-asan" -DCMAKE_BUILD_TYPE=Debug -DREBALANCE_SANITIZE=ON \
    -DREBALANCE_TESTS=ON
  build_fuzz

  export REBALANCE_ROOT="$ROOT"
  export REBALANCE_BIN="$ROOT/build-asan/rebalance"
  # Stop at the first error with a full stack; leaks inside system
  # libraries (X11, Mesa, fontconfig, dbus ...) are listed in lsan.supp.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}"
  # Render in software: Mesa's GL/EGL drivers are unloaded by SDL_Quit and
  # their leaks then show as "<unknown module>", which no suppression can
  # match. Software rendering is also what makes screenshots repeatable.
  export SDL_RENDER_DRIVER="${SDL_RENDER_DRIVER:-software}"
  export SDL_FRAMEBUFFER_ACCELERATION="${SDL_FRAMEBUFFER_ACCELERATION:-0}"

  local tests=() src name
  shopt -s nullglob
  # One binary per tests/unit/test_*.c (not a glob of the build dir, which
  # may hold binaries of tests that were deleted since).
  for src in "$ROOT"/tests/unit/test_*.c; do
    name="$(basename "$src" .c)"
    [[ -x "$ROOT/build-asan/tests/$name" ]] ||
      die "unit test $name was not built (expected build-asan/tests/$name)"
    tests+=("$ROOT/build-asan/tests/$name")
  done
  local t
  for t in "$ROOT"/tests/e2e/*.t "$ROOT"/tests/screens/*.t "$ROOT"/tests/lint/*.t "$ROOT"/tests/fuzz/*.t; do
    [[ -x "$t" ]] || die "$t is not executable (chmod +x, with a shebang)"
    tests+=("$t")
  done
  shopt -u nullglob

  if ((${#tests[@]} == 0)); then
    die "no tests found (tests/unit/test_*.c, tests/e2e/*.t, tests/screens/*.t, tests/lint/*.t)"
  fi

  # Run from the repo root so tests may use relative paths; each test file
  # runs as an executable, under a time limit so a hang cannot stall CI.
  cd "$ROOT"
  prove --exec "timeout -k 10 ${REBALANCE_TEST_TIMEOUT:-600}" "${tests[@]#"$ROOT"/}"
}

# The Debian package (debian/): a release build with debhelper in a copy of
# the source tree (the build writes into debian/ and next to the tree), the
# .deb, .buildinfo and .changes moved to $REBALANCE_DIST (dist/), then
# lintian, which must report no error or warning (debian/*lintian-overrides
# say why for the few that stay).
cmd_package() {
  ensure_packages "${BUILD_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
  local out="${REBALANCE_DIST:-$ROOT/dist}" version stage
  version="$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)"
  stage="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-package.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $stage is local
  trap "rm -rf '$stage'" EXIT
  mkdir "$stage/rebalance-$version"
  tar -C "$ROOT" --exclude=./.git --exclude=./build --exclude='./build-*' \
    --exclude=./dist --exclude=./screens-out --exclude='./obj-*' \
    --exclude=./debian/rebalance --exclude=./debian/.debhelper \
    --exclude='./debian/*.substvars' --exclude=./debian/files \
    --exclude='./debian/*.log' -cf - . |
    tar -C "$stage/rebalance-$version" -xf -
  say "building rebalance $version (dpkg-buildpackage, a release build)"
  (cd "$stage/rebalance-$version" &&
    DEB_BUILD_OPTIONS="parallel=$JOBS ${DEB_BUILD_OPTIONS:-}" \
      dpkg-buildpackage -b -us -uc)
  mkdir -p "$out"
  rm -f "$out"/rebalance_*.deb "$out"/rebalance-dbgsym_*.deb \
    "$out"/rebalance_*.buildinfo "$out"/rebalance_*.changes
  mv "$stage"/*.deb "$stage"/*.buildinfo "$stage"/*.changes "$out"/
  say "lintian (errors and warnings fail the build)"
  lintian --fail-on error,warning --display-info \
    --no-tag-display-limit "$out"/rebalance*_"$version"_*.deb
  say "built: $(cd "$out" && echo rebalance*_"$version"_*.deb) in $out"
}

(($# > 0)) || usage
command="$1"
shift
case "$command" in
  run) cmd_run "$@" ;;
  test) (($# == 0)) || usage; cmd_test ;;
  package) (($# == 0)) || usage; cmd_package ;;
  fuzz) cmd_fuzz "$@" ;;
  arm64) (($# == 0)) || usage; cmd_arm64 ;;
  -h | --help | help) usage ;;
  *) say "unknown command: $command"; usage ;;
esac
