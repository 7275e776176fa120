"""transform: normalize names, split lists, extract targets, build the published tables, compare years."""
