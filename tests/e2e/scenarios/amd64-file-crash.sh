# Scenario 6, x86_64 q35 + intel-iommu (issue 5 acceptance 2): `kexec-qdh
# -p -s` (kexec_file_load; the blob travels in a cpio appended to the
# initrd, no purgatory of ours), panic, and the crash kernel takes the same
# decisions as on arm64 and enforces them; the DMAR takeover is reported.
SCENARIO_ARCH=amd64
SCENARIO_NEEDS="qdh kexec-qdh"

scenario_run() {
	e2e_run_guest amd64-file-crash crash 600 "qdh.e2e.loadopt=-s qdh.e2e.crashargs=intel_iommu=on" || return 1
	qdh_crash_checks amd64-file-crash file || return 1
	expect_line 'DMAR: Translation already enabled|Copied translation tables' \
		"the crash kernel did not take over the live VT-d tables" || return 1
}
