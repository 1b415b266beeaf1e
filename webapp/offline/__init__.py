"""Working without coverage (issue 7): the offline copy a phone keeps, and storing what the
phone queued, exactly once, when the connection returns."""
