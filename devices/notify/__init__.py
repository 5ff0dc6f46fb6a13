"""Notifiers: e-mail through the city's SMTP relay and LINE push through the Messaging API."""
