"""What a build writes: the calendar feed, the task feed, the state, the index and the pages."""
