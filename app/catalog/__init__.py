"""The catalog: its versioned data file, its validation and its loading into the database."""
