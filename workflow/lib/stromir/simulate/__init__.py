"""Seeded simulators that write reads with a known truth."""
