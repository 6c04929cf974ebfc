# DMA aliases, requesters (VMD) and the quirk table (doc/topology.md,
# "DMA aliases"): unit tests and per-rule fixtures on every firmware.
check_PROGRAMS += tests/scan/test-alias-unit
tests_scan_test_alias_unit_SOURCES = tests/scan/test-alias-unit.c
tests_scan_test_alias_unit_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/kexec/scan
tests_scan_test_alias_unit_CFLAGS = $(QDH_USER_CFLAGS)
tests_scan_test_alias_unit_LDADD = $(QDH_USER_LIBS)
TESTS += tests/scan/test-alias-unit

EXTRA_DIST += tests/scan/gen-alias-fixture.py
dist_check_SCRIPTS += tests/scan/test-alias.sh
TESTS += tests/scan/test-alias.sh
