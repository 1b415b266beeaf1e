"""Administration (issue 8): the audit log and importing the municipality's own lists."""
