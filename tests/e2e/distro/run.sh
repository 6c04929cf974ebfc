#!/bin/bash
# The e2e-distro scenarios (make e2e-distro [ARCH=amd64|arm64]): a Debian
# system image with kdump-tools, the kexec-qdh package installed with
# dpkg -i, real crashes, checked from the host (doc/e2e.md, "e2e-distro").
#   tests/e2e/distro/run.sh [ARCH]     (root; network when the image cache is cold)
# Runs the harness's run.sh on the scenarios of this directory: same TAP,
# same logs ($E2E_WORK/logs/distro-ARCH-*.log); the TAP stream also goes to
# BUILDDIR/tests/e2e/e2e-distro.log with automake's summary lines.
set -u
arch=${1:-amd64}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case $arch in
amd64 | arm64) ;;
*) echo "e2e-distro: ARCH is amd64 or arm64, not '$arch'" >&2; exit 2 ;;
esac
names=
for s in image kexec-tools install crash inspect reboot timing; do
	names="$names distro-$arch-$s"
done
export E2E_SCENARIO_DIR=$here/scenarios
export E2E_TAP_LOG=${E2E_BUILDDIR:-$PWD}/tests/e2e/e2e-distro.log
# shellcheck disable=SC2086
exec bash "$here/../run.sh" $names
