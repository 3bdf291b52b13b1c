"""The `bemtevi` console command for ops and for scripts (`--json`)."""
