#!/usr/bin/env python
import os
import sys


def main() -> None:
    # A developer tool: the development settings unless the environment says otherwise.
    # Servers (wsgi.py, asgi.py, Celery) default to the production settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
