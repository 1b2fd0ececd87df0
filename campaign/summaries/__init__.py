"""Unit summaries (活动总结): figures prefilled from the booths, narrative, photos, deadline and review."""
