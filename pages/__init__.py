"""Page types of the column tree: home, section, column, article and video news."""
