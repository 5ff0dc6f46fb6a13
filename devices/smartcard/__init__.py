"""My Number card over PC/SC: pure APDU/TLV code, the pyscard transport, and simulated cards."""
