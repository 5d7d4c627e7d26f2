"""Helpers of the test suite and the benchmarks, imported as ``tests.support.<module>``
(the repository root is on the path: pytest's ``pythonpath`` setting, and the bench scripts)."""
