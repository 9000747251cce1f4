"""The benchmark (issue 11): run on demand with `make bench`, never by the test suite."""
