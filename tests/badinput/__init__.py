"""Bad inputs (inputs.py builds them) and the fault tests of issue 14 (test_*.py)."""
