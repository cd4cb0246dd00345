#!/usr/bin/env python
"""Django's command-line utility for Sunlight (defaults to the development settings)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.dev")
    from django.core.management import execute_from_command_line

    from cms.plugins import PluginError

    try:
        execute_from_command_line(sys.argv)
    except PluginError as exc:  # a refused plugin in strict mode: a clear message, not a traceback
        sys.stderr.write(f"Error: {exc}\n")
        sys.exit(1)
