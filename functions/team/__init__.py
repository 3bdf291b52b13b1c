"""The sales team and post-sale follow-up (issue 16)."""
