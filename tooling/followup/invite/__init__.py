"""Reading calendar invitations (.ics files, or emails that carry them) for `followup invite`."""
