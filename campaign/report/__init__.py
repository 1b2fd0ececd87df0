"""The district report compiled from the unit summaries and booth records, its exports and the scorecard."""
