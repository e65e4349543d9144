"""The interview note: its declared keys, the files, reading and checking them, and edits."""
