"""Following up without pestering: the agreed plan, the touches, the stop rules."""
