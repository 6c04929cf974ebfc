DISTRO_ARCH=arm64
. "$E2E_SRCDIR/tests/e2e/distro/steps.sh"
scenario_run() { distro_step_timing; }
