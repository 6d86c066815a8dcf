"""What every layer leans on: validation, errors, JSON maps, clocks, calendars, logs, display."""
