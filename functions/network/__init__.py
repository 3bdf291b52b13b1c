"""A tenant's network and its rules: tenants, stores and their keys, the points
program, benefit rules and the product catalogue."""
