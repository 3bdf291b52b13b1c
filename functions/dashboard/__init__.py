"""The manager's dashboard (`/painel`)."""
