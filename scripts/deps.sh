#!/bin/sh
# SPDX-License-Identifier: MIT
#
# deps.sh - list, check or install the Debian packages bf needs.
#
#   scripts/deps.sh list      print the package names
#   scripts/deps.sh check     exit 0 when every package is installed, else 1
#   scripts/deps.sh install   apt-get install what is missing (a no-op when
#                             nothing is), then select the OpenMP OpenBLAS
#
# The list is the single source of truth for `make deps`.
set -eu

PACKAGES="
gcc g++ make pkg-config clang libclang-rt-14-dev
libcurl4-openssl-dev libjansson-dev libwebsockets-dev libmbedtls-dev
zlib1g-dev libzip-dev libinih-dev
libtorch-dev libopenblas0-openmp
check libsubunit-dev
mandoc curl python3 python3-websockets jq gnuplot-nox parallel
"

missing() {
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$' || echo "$p"
	done
}

case "${1:-check}" in
list)
	printf '%s\n' $PACKAGES
	;;
check)
	m=$(missing)
	[ -z "$m" ] && exit 0
	echo "deps.sh: missing packages:" $m >&2
	exit 1
	;;
install)
	m=$(missing)
	if [ -n "$m" ]; then
		sudo=
		[ "$(id -u)" -eq 0 ] || sudo=sudo
		export DEBIAN_FRONTEND=noninteractive
		$sudo apt-get update -qq
		# shellcheck disable=SC2086
		$sudo apt-get install -y -qq --no-install-recommends $m
	fi
	# libtorch is 5-7x slower on reference BLAS; prefer OpenBLAS (OpenMP).
	ob=/usr/lib/x86_64-linux-gnu/openblas-openmp
	if [ -e "$ob/libblas.so.3" ] && command -v update-alternatives >/dev/null; then
		cur=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)
		if [ "$cur" != "$(readlink -f $ob/libblas.so.3)" ]; then
			sudo=
			[ "$(id -u)" -eq 0 ] || sudo=sudo
			$sudo update-alternatives --quiet --set libblas.so.3-x86_64-linux-gnu "$ob/libblas.so.3" || true
			$sudo update-alternatives --quiet --set liblapack.so.3-x86_64-linux-gnu "$ob/liblapack.so.3" || true
		fi
	fi
	;;
*)
	echo "usage: deps.sh list|check|install" >&2
	exit 2
	;;
esac
