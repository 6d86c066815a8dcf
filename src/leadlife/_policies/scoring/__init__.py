"""Lead scoring by rules: fit from facts, engagement from activities, explained point by point."""
