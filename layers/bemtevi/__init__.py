"""bemtevi's shared library, deployed as a Lambda layer (vendor/bemtevi links here)."""

__version__ = "0.1.0"
