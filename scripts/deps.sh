#!/usr/bin/env bash
# Installs what building techfund needs beyond Rust: cmake and libclang (HiGHS is
# built from source and its bindings made by bindgen), and with --browser, what the
# tests need besides: Chromium for the HTML report test and strace, whose fault
# injection kills techfund at each step of writing a report (tests/output.rs). Installs
# only what is missing; needs root or sudo.
set -euo pipefail

want=()
command -v cmake >/dev/null 2>&1 || want+=(cmake)
# bindgen loads libclang (the C interface) at build time. libclang-cpp, which a fresh
# Debian may already have, is a different library and does not count.
if ! ls /usr/lib/llvm-*/lib/libclang.so* /usr/lib/*/libclang-[0-9]*.so* >/dev/null 2>&1; then
  want+=(libclang-dev)
fi
command -v c++ >/dev/null 2>&1 || want+=(g++)
if [[ "${1:-}" == "--browser" ]]; then
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  command -v strace >/dev/null 2>&1 || want+=(strace)
fi

if ((${#want[@]})); then
  echo "installing: ${want[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${want[@]}" >/dev/null
fi
