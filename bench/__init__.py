"""`make bench`: the performance figures of README "## Performance", each a ratio in one run."""
