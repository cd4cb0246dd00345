"""Sunlight framework core: plugin contract, departments, profiles and the shared services of the portal."""

__version__ = "0.1.0"
