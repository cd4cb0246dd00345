"""A small plugin used by the test suite to exercise the whole plugin contract."""
