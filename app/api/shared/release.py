"""This release of the API: the spec's `info.version`, the latest release in CHANGELOG.md
(a test keeps them equal)."""

API_VERSION = "1.4.0"
