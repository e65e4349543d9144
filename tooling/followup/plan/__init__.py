"""From notes to a plan: applications, the reminders' rules, progress, and the checks."""
