"""extract: read a notice (a file or a URL) and parse its header, chapters and tasks."""
