"""What every capability stands on: who is calling (auth), a tenant's cached
context (tenancy), optimistic retries, health."""
