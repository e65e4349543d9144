"""Where the reminders go beyond the site: a public feed bundle, and a CalDAV calendar."""
