"""Plugin `online_services`: Service guides, forms and hotlines for every police type (网上办事)."""
