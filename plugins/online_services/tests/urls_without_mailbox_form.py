"""The site's URLs without the mailbox's public pages: a site where the mailbox serves no letter form (the
consultation link then falls back to the 业务咨询 column)."""

from cms.urls import urlpatterns as site_patterns

urlpatterns = [p for p in site_patterns if getattr(p, "namespace", None) != "mailbox_site"]
