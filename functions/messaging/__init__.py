"""Automatic messages: the one send path, the jobs that find who is due, inbound
replies, templates and the tenant's messaging settings."""
