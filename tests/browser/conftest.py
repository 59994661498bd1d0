"""Browser tests use the session fixtures of tests/conftest.py: built_site, site_url, browser."""
