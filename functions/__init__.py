"""One module per capability, callable from app.py, the CLI, the tests and the local
runner alike."""
