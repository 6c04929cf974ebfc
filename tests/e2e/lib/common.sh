# Shared settings and helpers of the QEMU end-to-end harness (bash).
# Source it; every other lib/ file does.  Environment (all optional):
#   E2E_SRCDIR    source tree (default: two levels above this file)
#   E2E_BUILDDIR  configured build tree (default: current directory)
#   E2E_CACHE     downloaded and extracted packages (default: $E2E_BUILDDIR/e2e-cache)
#   E2E_WORK      per-run files: initramfs images, console logs (default: $E2E_BUILDDIR/e2e-work)
#   E2E_VERBOSE   1: copy the guest console to stderr while it runs
[ -n "${E2E_COMMON_SOURCED:-}" ] && return 0
E2E_COMMON_SOURCED=1

E2E_LIBDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${E2E_SRCDIR:=$(cd "$E2E_LIBDIR/../../.." && pwd)}"
: "${E2E_BUILDDIR:=$(pwd)}"
E2E_BUILDDIR=$(cd "$E2E_BUILDDIR" && pwd)
: "${E2E_CACHE:=$E2E_BUILDDIR/e2e-cache}"
: "${E2E_WORK:=$E2E_BUILDDIR/e2e-work}"
export E2E_SRCDIR E2E_BUILDDIR E2E_CACHE E2E_WORK

e2e_log() { printf 'e2e: %s\n' "$*" >&2; }
e2e_die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }

# Debian architecture -> GNU triplet, QEMU binary and console device.
e2e_triplet() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	amd64) echo x86_64-linux-gnu ;;
	*) e2e_die "unknown architecture '$1' (arm64 or amd64)" ;;
	esac
}
e2e_console() { case $1 in arm64) echo ttyAMA0 ;; amd64) echo ttyS0 ;; esac; }

# Millisecond wall clock of the host.
e2e_now_ms() { date +%s%3N; }
