"""The clerk desktop: queue, review, print."""
