"""The public site (the web outlet): the layout every public page extends, site settings for the footer, the
home page's panels contributed by plugins, search and site-map pages, error pages and page caching."""
