"""The citizen tablet: the touch flow from language choice to ticket."""
