"""What the three front ends share: application set-up, fonts, theme and the event bridge."""
