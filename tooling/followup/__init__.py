"""followup: turn interview notes into reminders, a calendar feed and a progress site."""

__version__ = "0.1.0"
