"""Text-mining pipeline over archived Blogger blogs (INSP!R Asia first)."""

__version__ = "0.1.0"
