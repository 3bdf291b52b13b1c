"""The customer portal behind the signed links in each message."""
