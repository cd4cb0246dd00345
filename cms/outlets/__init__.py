"""Outlets (两微一端): the web, Weibo, WeChat and app renderings of approved content, and the outbox that
delivers them."""
