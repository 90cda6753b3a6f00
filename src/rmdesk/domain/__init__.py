"""Exercise rules, scoring and checks: pure Python, no Qt, no I/O."""
