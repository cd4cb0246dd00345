"""The headless API: Wagtail v2 endpoints and each plugin's DRF routes under /api/<plugin>/."""
