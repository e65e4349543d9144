"""The calendar feed: each reminder as an event, the calendar around them, and what changed."""
