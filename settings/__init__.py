"""Django settings for Sunlight: `base` plus one module per environment (dev, production, test)."""
