"""The Markdown pages the site is built from: progress, board, Today panel, interviews, subscribe."""
