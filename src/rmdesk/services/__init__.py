"""Use cases: workshops, groups, the register, reports. No Qt."""
