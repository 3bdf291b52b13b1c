"""Request signatures, sealed secrets and (later) signed links."""
